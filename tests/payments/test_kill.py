"""A generation killed halfway leaves nothing; a rerun completes it once."""

import json
import os
import signal
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


def counts(env):
    code = (
        "import django; django.setup(); from doudi.payments.models import *; "
        "print(Payroll.objects.count(), PayrollLine.objects.count(), LedgerEntry.objects.count())"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return tuple(int(x) for x in out.stdout.split())


def test_killed_generation_leaves_nothing_and_rerun_completes(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kill.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "doudi.settings.base",
        "DOUDI_DATA_DIR": str(tmp_path),
    }
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True)
    marker = tmp_path / "halfway"
    proc = subprocess.Popen(
        [sys.executable, "-m", "doudi", "payroll", "generate", "--programme", "dibao", "--month", "2026-03"],
        env={**env, "DOUDI_PAYROLL_BATCH": "50", "DOUDI_TEST_PAUSE_AFTER_BATCH": str(marker)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 60
    while not marker.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert marker.exists(), proc.stderr.read().decode() if proc.poll() is not None else "no progress"
    assert marker.read_text() == "50"  # one batch of 50 written inside the transaction
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert counts(env) == (0, 0, 0)
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
    assert counts(env) == (1, 240, 720)
