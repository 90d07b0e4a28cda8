"""Real concurrency on PostgreSQL: two threads, each with its own connection and transaction, at the same moment.
(SQLite lets one writer in at a time, so there is no race to test there.)"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from doudi.audit.models import AuditEvent
from doudi.cases import workflow as wf
from doudi.cases.actions import case_move, dynamic_management_run, procedure
from doudi.cases.models import Case, CaseEvent, CaseKind
from doudi.core.errors import Conflict

from .test_daily_job import ON, enrolments, expected  # noqa: F401  (the daily job's varied enrolments)

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
HOLD = 0.5  # seconds the first mover keeps the case locked, so that the second is surely waiting on it


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks between two open transactions")


def at_once(*jobs):
    """Run each job in its own thread and database connection, started together; (result or exception, seconds)."""
    barrier = threading.Barrier(len(jobs))
    out = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            started = time.perf_counter()
            try:
                value = job()
            except Exception as e:  # noqa: BLE001  (the outcome is what the test looks at)
                value = e
            out[i] = (value, time.perf_counter() - started)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return out


def test_the_same_move_at_the_same_time_succeeds_once(apply, people, monkeypatch):
    case = apply().cases.get()
    version = case.version
    accept = procedure.HANDLERS["accept"]

    def slow_accept(*args):
        record = accept(*args)
        time.sleep(HOLD)  # inside the transaction, holding the row lock
        return record

    monkeypatch.setitem(procedure.HANDLERS, "accept", slow_accept)

    def move(who):
        return lambda: case_move(
            actor=people[who], case=Case.objects.get(pk=case.pk), move="accept", expected_version=version
        )

    results = at_once(move("caseworker_a"), move("caseworker_a2"))
    won = [(v, s) for v, s in results if isinstance(v, Case)]
    lost = [(v, s) for v, s in results if not isinstance(v, Case)]
    assert len(won) == 1 and len(lost) == 1, results
    error, waited = lost[0]
    assert isinstance(error, Conflict) and error.code == "stale"
    assert waited >= HOLD * 0.8  # it waited for the other's lock: the two really were at the same moment
    case.refresh_from_db()
    assert case.state == wf.CaseState.ACCEPTED and case.version == version + 1
    assert CaseEvent.objects.filter(case=case, move="accept").count() == 1
    assert AuditEvent.objects.filter(action="case.accept", target_id=str(case.pk)).count() == 1


def test_two_daily_runs_at_once_open_each_review_once(enrolments):  # noqa: F811
    ending, reviews = expected(enrolments, ON)
    results = at_once(lambda: dynamic_management_run(on=ON), lambda: dynamic_management_run(on=ON))
    assert all(isinstance(v, dict) for v, _ in results), results
    assert sum(v["reviews_opened"] for v, _ in results) == len(reviews)
    assert sum(v["gradual_exits_ended"] for v, _ in results) == len(ending)
    opened = Case.objects.filter(kind=CaseKind.REVIEW).exclude(batch_id="")
    assert sorted(opened.values_list("enrolment_id", flat=True)) == sorted(reviews)
    assert CaseEvent.objects.filter(case__in=opened).count() == len(reviews)
    assert AuditEvent.objects.filter(action="cases.daily").count() == 2
