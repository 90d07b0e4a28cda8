"""Background jobs on the queue (django-q2, the database as broker): queued with no worker running, done when one
starts; progress readable while the job's transaction is open (PostgreSQL); interrupted jobs shown and run again;
who may see a job. The payroll kill tests are in tests/payments/test_kill.py."""

import datetime as dt
import os
import socket
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ

from doudi.accounts.actions import token_create
from doudi.audit.events import JobEvent
from doudi.audit.models import AuditEvent
from doudi.core.jobs import JobProgress, job_interrupted, jobs_recover, retry_seconds
from doudi.core.models import BackgroundJob, JobKind, JobState
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.models import EvaluationRun
from doudi.programmes.pack import DEMO_PACK
from doudi.programmes.tasks import evaluation_run_enqueue, evaluation_run_task

from ..conftest import member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue_only(monkeypatch):
    """Queue for real instead of the tests' inline (sync) mode."""
    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.fixture
def households(register):
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    return [register(), register(members=[member("王小明", "1980-01-01", 31, "head")])]


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{quote(s['HOST'] or 'localhost', safe='')}:{s['PORT'] or 5432}/{s['NAME']}"


def run_worker_until_done() -> subprocess.CompletedProcess:
    """`doudi worker --until-done` in its own process against the test database, as after a restart."""
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "doudi.settings.base"}
    return subprocess.run(
        [sys.executable, "-m", "doudi", "worker", "--until-done"], env=env, capture_output=True, text=True, timeout=180
    )


def test_job_queued_while_no_worker_runs_is_done_when_one_starts(client, staff, households, queue_only):
    client.force_login(staff["caseworker_a"])
    r = client.post("/programmes/runs/", {"programme": "dibao", "on": "2026-01-01"})
    job = BackgroundJob.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    assert (job.state, job.kind, job.area_prefix, job.attempts) == (
        JobState.QUEUED,
        JobKind.EVALUATION_RUN,
        "511425101",
        0,
    )
    assert OrmQ.objects.count() == 1 and not EvaluationRun.objects.exists()
    asked = AuditEvent.objects.get(action=JobEvent.QUEUE)  # who asked for it is on record before it runs
    assert (asked.actor, asked.target_type, asked.target_id, asked.area_code) == (
        staff["caseworker_a"],
        "backgroundjob",
        str(job.pk),
        "511425101",
    )
    assert asked.new["kind"] == JobKind.EVALUATION_RUN and asked.new["on"] == "2026-01-01"
    page = client.get(r["Location"]).content.decode()
    assert "已排队，等待后台进程执行" in page and 'hx-trigger="every 1s"' in page

    done = run_worker_until_done()
    assert done.returncode == 0, done.stderr
    job.refresh_from_db()
    run = EvaluationRun.objects.get()
    assert (job.state, job.result_id, job.attempts, job.error) == (JobState.FINISHED, run.pk, 1, "")
    assert run.households == 2 and run.area_prefix == "511425101" and not OrmQ.objects.exists()
    assert client.get(f"/jobs/{job.pk}/")["Location"] == f"/programmes/runs/{run.pk}/"


def test_who_sees_a_job(client, staff, households):
    job = evaluation_run_enqueue(actor=staff["caseworker_a"], programme="dibao", on=dt.date(2026, 1, 1))
    assert job.state == JobState.FINISHED  # inline in tests
    for who, status in [
        ("caseworker_a", 302),
        ("approver", 302),
        ("admin", 404),  # the system administrator sees no business work
        ("auditor", 302),
        ("caseworker_b", 404),
        ("cadre_a", 404),
    ]:  # the village cadre's area is below the township's job
        client.force_login(staff[who])
        assert client.get(f"/jobs/{job.pk}/").status_code == status, who
    _t, key = token_create(actor=staff["caseworker_b"], name="t")
    assert client.get(f"/api/v1/jobs/{job.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 404


def test_api_evaluation_run_is_a_job(client, staff, households):
    _t, key = token_create(actor=staff["approver"], name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    r = client.post(
        "/api/v1/evaluation-runs",
        data={"programme": "dibao", "on": "2026-01-01"},
        content_type="application/json",
        **auth,
    )
    body = r.json()
    assert r.status_code == 202 and body["kind"] == "evaluation_run" and body["state"] == "finished"
    assert client.get(body["url"], **auth).json()["result"] == body["result"]
    run = client.get(body["result"], **auth).json()
    assert run["households"] == 2 and run["area_prefix"] == "511425"
    r = client.post(
        "/api/v1/evaluation-runs",
        data={"programme": "nope", "on": "2026-01-01"},
        content_type="application/json",
        **auth,
    )
    # an unknown programme does not match the schema's list of programmes: refused at once, not queued
    assert r.status_code == 422 and r.json()["field"] == "programme"


def test_progress_is_readable_while_the_job_transaction_is_open(staff):
    job = BackgroundJob.objects.create(kind=JobKind.EVALUATION_RUN, area_prefix="511425", created_by=staff["admin"])
    progress = JobProgress(job, every=0)
    with transaction.atomic():  # the action's one transaction
        progress(5, 10)
        other = connections.create_connection("default")
        with other.cursor() as cursor:
            cursor.execute("SELECT done, total FROM core_backgroundjob WHERE id = %s", [job.pk])
            seen = tuple(cursor.fetchone())
        other.close()
    progress.close()
    if connection.vendor == "postgresql":
        assert seen == (5, 10)
    else:  # SQLite: one writer at a time, and the action's transaction is it; the count is stored at the end
        assert seen == (0, None)


def dead_pid() -> int:
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def test_interrupted_job_is_shown_handed_out_again_and_failed_after_the_attempts(
    client, staff, households, queue_only, settings
):
    job = evaluation_run_enqueue(actor=staff["caseworker_a"], programme="dibao", on=dt.date(2026, 1, 1))
    # as a worker that took it and then died leaves it: running, its queue entry locked for the retry time
    OrmQ.objects.update(lock=timezone.now() + dt.timedelta(seconds=retry_seconds()))
    BackgroundJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, attempts=1, started_at=timezone.now(), worker=f"{socket.gethostname()}:{dead_pid()}"
    )
    job.refresh_from_db()
    assert job_interrupted(job)
    client.force_login(staff["caseworker_a"])
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "执行中断" in page and "会自动重新执行" in page and "every 1s" in page
    assert jobs_recover() == 1 and OrmQ.objects.get().lock <= timezone.now()  # handed out at once
    # a job still running (in a live process, or not yet past the retry time elsewhere) is not run twice
    long_ago = timezone.now() - dt.timedelta(seconds=retry_seconds() + 1)
    for worker, started, interrupted in [
        (f"{socket.gethostname()}:{os.getpid()}", timezone.now(), False),
        ("elsewhere:1", timezone.now(), False),
        ("elsewhere:1", long_ago, True),
    ]:
        BackgroundJob.objects.filter(pk=job.pk).update(worker=worker, started_at=started)
        job.refresh_from_db()
        assert job_interrupted(job) is interrupted, worker
    BackgroundJob.objects.filter(pk=job.pk).update(
        worker=f"{socket.gethostname()}:{os.getpid()}", started_at=timezone.now()
    )
    evaluation_run_task(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.RUNNING, 1) and not EvaluationRun.objects.exists()
    # interrupted once more than allowed: failed, with the reason
    settings.DOUDI_JOB_ATTEMPTS = 1
    BackgroundJob.objects.filter(pk=job.pk).update(worker=f"{socket.gethostname()}:{dead_pid()}")
    evaluation_run_task(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "中断了 1 次" in job.error and not EvaluationRun.objects.exists()
    assert "后台进程在执行中中断了 1 次" in client.get(f"/jobs/{job.pk}/").content.decode()
    # within the attempts, an interrupted job is run again and finishes
    settings.DOUDI_JOB_ATTEMPTS = 2
    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, error="", error_en="")
    evaluation_run_task(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.result_id) == (JobState.FINISHED, 2, EvaluationRun.objects.get().pk)
