"""Two finance officers approve the same payroll at the same moment: the row lock lets exactly one through; the
other is told the payroll is no longer awaiting approval. Real threads, each with its own database connection."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection

from doudi.accounts.actions import staff_create
from doudi.audit.models import AuditEvent
from doudi.core.errors import Conflict
from doudi.payments import actions
from doudi.payments.generation import payroll_generate
from doudi.payments.models import Payroll, PayrollState

from ..conftest import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_let_exactly_one_through(enrol, finance, monkeypatch):
    enrol("240.00")
    enrol("180.00")
    p = payroll_generate(actor=finance["f1"], programme="dibao", month=dt.date(2026, 1, 1))
    actions.payroll_check(actor=finance["f1"], payroll=p)
    f3 = staff_create(
        actor=None,
        username="fin3",
        password=PASSWORD,
        role="finance_officer",
        area_code="511425000000",
        check_password=False,
    )
    inside = threading.Event()
    real_audit = actions.audit_record

    def slow_audit(**kwargs):  # hold the lock a while, so the other approval must wait on it
        inside.set()
        time.sleep(0.5)
        return real_audit(**kwargs)

    monkeypatch.setattr(actions, "audit_record", slow_audit)
    start = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def approve(who):
        start.wait()
        try:
            actions.payroll_approve(actor=who, payroll=Payroll.objects.get(pk=p.pk))
            outcome[who.username] = "approved"
        except Conflict as e:
            outcome[who.username] = e.code
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(who,)) for who in (finance["f2"], f3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert inside.is_set()
    assert sorted(outcome.values()) == ["approved", "bad_state"], outcome
    p.refresh_from_db()
    assert p.state == PayrollState.APPROVED
    assert p.approved_by.username == next(name for name, got in outcome.items() if got == "approved")
    assert AuditEvent.objects.filter(action="payroll.approve", target_id=str(p.pk)).count() == 1
