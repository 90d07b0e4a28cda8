"""The payroll's moves are a table (doudi/payments/workflow.py): the actions refuse a move from a state it does
not start from, or by a role without its permission, or on a payroll of a wider area; the page offers only the
moves the person may make now."""

import datetime as dt

import pytest

from doudi.accounts.actions import staff_create
from doudi.core.errors import Conflict, NotFound, PermissionDenied
from doudi.payments import actions, workflow
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollState

from ..conftest import PASSWORD


def test_moves_follow_the_table(enrol, finance, staff):
    enrol("240.00")
    p = payroll_generate(actor=finance["f1"], programme="dibao", month=dt.date(2026, 1, 1))
    assert workflow.available_moves(finance["f1"], p) == {"check", "anomaly", "cancel"}
    assert workflow.available_moves(finance["f2"], p) == {"check", "anomaly", "cancel"}
    assert workflow.available_moves(staff["auditor"], p) == set()  # may see, may not act
    with pytest.raises(Conflict) as refused:  # approve starts only from "checked"
        actions.payroll_approve(actor=finance["f2"], payroll=p)
    assert refused.value.code == "bad_state"
    with pytest.raises(PermissionDenied):
        actions.payroll_check(actor=staff["auditor"], payroll=p)
    actions.payroll_check(actor=finance["f1"], payroll=p)
    p.refresh_from_db()
    assert p.state == PayrollState.CHECKED
    assert workflow.available_moves(finance["f2"], p) == {"approve", "anomaly", "cancel"}
    township = staff_create(
        actor=None,
        username="fin_t",
        password=PASSWORD,
        role="finance_officer",
        area_code="511425101000",
        check_password=False,
    )
    assert workflow.available_moves(township, p) == set()  # the county's payroll: seen as a part, never acted on
    with pytest.raises(NotFound):
        actions.payroll_approve(actor=township, payroll=p)
    actions.payroll_approve(actor=finance["f2"], payroll=p)
    p.refresh_from_db()
    assert p.state == PayrollState.APPROVED
    assert workflow.available_moves(finance["f2"], p) == {"export"}
    for move in workflow.MOVES.values():  # every move names its permission and starts from real states
        assert move.perm.count(".") == 1 and set(move.sources) <= set(PayrollState.values)
