"""A generation killed halfway leaves nothing; a rerun completes it once — run in the foreground, and as a job
whose worker is killed.

Nothing in the application waits for these tests: the scripts below are test code. They make the generation
write every 10 rows (so the first batch is in the database, uncommitted, when it is killed), and wrap the
progress callback the generation already takes so that after the first batch it records what is written and
sleeps until it is killed. The batch size is the DOUDI_PAYROLL_BATCH setting, from the environment."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

SETUP = """
import datetime as dt, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("demo", households=300, no_staff=True, verbosity=0)
from doudi.cases.models import Case, Enrolment, EnrolmentChange
from doudi.accounts.actions import staff_create
from doudi.registry.models import Household
from decimal import Decimal
cw = staff_create(actor=None, username="cw", password="x" * 12, role="township_caseworker",
                  area_code="511425000000", check_password=False)
staff_create(actor=None, username="fin", password="x" * 12, role="finance_officer", area_code="511425000000",
             check_password=False)
for h in Household.objects.all()[:240]:
    head = h.memberships.filter(end_date__isnull=True).first().person
    case = Case.objects.create(programme_id="dibao", household=h, applicant=head, area_code=h.area_id, created_by=cw,
                               state="approved")
    e = Enrolment.objects.create(programme_id="dibao", household=h, case=case, area_code=h.area_id,
                                 start_month=dt.date(2026, 1, 1), monthly_amount=Decimal("123.45"),
                                 counted_members=1, review_category="stable", next_review_due=dt.date(2027, 1, 1))
    EnrolmentChange.objects.create(enrolment=e, kind="start", from_month=e.start_month, new_amount=e.monthly_amount,
                                   reason="x")
"""


# Test code: the generation writes every 10 rows and, after its first batch, records what it has written (in its
# own transaction) and sleeps until it is killed.
STOP_AFTER_FIRST_BATCH = """
import datetime as dt, json, os, sys, time, django
django.setup()
from doudi.core.bulk import TableWriter
from doudi.payments import generation, tasks
from doudi.payments.models import LedgerEntry, Payroll, PayrollLine

class SmallWriter(TableWriter):
    def __init__(self, model, batch_size=0):
        super().__init__(model, batch_size=10)

generation.TableWriter = SmallWriter
MARKER = sys.argv[1]

def stop(done, total):
    if done:
        with open(MARKER + ".tmp", "w") as f:
            json.dump({"done": done, "total": total, "payrolls": Payroll.objects.count(),
                       "lines": PayrollLine.objects.count(), "entries": LedgerEntry.objects.count(),
                       "pid": os.getpid()}, f)
        os.replace(MARKER + ".tmp", MARKER)
        time.sleep(300)
"""

FOREGROUND = (
    STOP_AFTER_FIRST_BATCH
    + """
generation.payroll_generate(actor=None, programme="dibao", month=dt.date(2026, 3, 1), progress=stop)
"""
)

WORKER = (
    STOP_AFTER_FIRST_BATCH
    + """
real = tasks.payroll_generate

def generate_then_stop(*, progress, **kwargs):
    def both(done, total):
        progress(done, total)
        stop(done, total)
    return real(progress=both, **kwargs)

tasks.payroll_generate = generate_then_stop
from django.core.management import call_command
call_command("worker")
"""
)

ENQUEUE = """
import datetime as dt, django
django.setup()
from doudi.accounts.models import Staff
from doudi.payments.tasks import payroll_generate_enqueue
print(payroll_generate_enqueue(actor=Staff.objects.get(username="fin"), programme="dibao",
                               month=dt.date(2026, 3, 1)).pk)
"""

STATE = """
import json, django
django.setup()
from doudi.core.jobs import job_interrupted
from doudi.core.models import BackgroundJob
from doudi.payments.models import *
job = BackgroundJob.objects.first()
print(json.dumps({"counts": [Payroll.objects.count(), PayrollLine.objects.count(), LedgerEntry.objects.count()],
                  "job": job and {"state": job.state, "attempts": job.attempts, "worker": job.worker,
                                  "interrupted": job_interrupted(job), "result": job.result_id}}))
"""


@pytest.fixture(scope="module")
def county_db(tmp_path_factory):
    """A demo county with 240 dibao enrolments due since January, built once (copied for each test)."""
    path = tmp_path_factory.mktemp("county") / "county.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "doudi.settings.base",
        "DOUDI_DATA_DIR": str(path.parent),
    }
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True)
    return path


@pytest.fixture
def env(county_db, tmp_path):
    shutil.copy(county_db, tmp_path / "kill.sqlite3")
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kill.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "doudi.settings.base",
        "DOUDI_DATA_DIR": str(tmp_path),
    }


def python(env, code, *args):
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True)
    return out.stdout


def state(env) -> dict:
    return json.loads(python(env, STATE))


def kill_after_first_batch(env, code, marker) -> dict:
    """Run ``code`` in a session of its own with batches of 50; once it has written its first batch, kill every
    process of the session (as a power cut would) and return what it had written in its transaction."""
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(marker)],
        env={**env, "DOUDI_PAYROLL_BATCH": "50"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while not marker.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert marker.exists(), proc.stderr.read().decode() if proc.poll() is not None else "no progress"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return json.loads(marker.read_text())


def test_killed_generation_leaves_nothing_and_rerun_completes(env, tmp_path):
    written = kill_after_first_batch(env, FOREGROUND, tmp_path / "halfway")
    # the first batch of 50 was in the database, inside the generation's transaction
    assert written["done"] == 50 and written["total"] == 240
    assert (written["payrolls"], written["lines"], written["entries"]) == (1, 50, 150)
    assert state(env)["counts"] == [0, 0, 0]
    out = subprocess.run(
        [sys.executable, "-m", "doudi", "payroll", "generate", "--programme", "dibao", "--month", "2026-03"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    assert result["lines"] == 240 and result["total"] == f"{240 * 3 * 123.45:.2f}"
    again = subprocess.run(
        [sys.executable, "-m", "doudi", "payroll", "generate", "--programme", "dibao", "--month", "2026-03"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(again.stdout) == result
    assert state(env)["counts"] == [1, 240, 720]


def test_job_whose_worker_is_killed_is_run_again_when_a_worker_starts(env, tmp_path):
    job_id = int(python(env, ENQUEUE))
    written = kill_after_first_batch(env, WORKER, tmp_path / "halfway")
    assert (written["done"], written["lines"], written["entries"]) == (50, 50, 150)
    after = state(env)
    assert after["counts"] == [0, 0, 0]  # nothing of the generation survived the kill
    # shown as interrupted, not as running: its worker process is gone
    assert after["job"]["state"] == "running" and after["job"]["interrupted"] and after["job"]["attempts"] == 1
    assert after["job"]["worker"] == f"{socket.gethostname()}:{written['pid']}"
    # a worker started afterwards hands it out again at once and runs it to the end, once
    done = subprocess.run(
        [sys.executable, "-m", "doudi", "worker", "--until-done"], env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    final = state(env)
    assert final["counts"] == [1, 240, 720]
    assert (final["job"]["state"], final["job"]["attempts"]) == ("finished", 2) and final["job"]["result"]
    assert job_id and "1 interrupted job(s) handed out again" in done.stdout
