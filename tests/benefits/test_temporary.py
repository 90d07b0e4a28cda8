"""Temporary assistance whole (issue 15, step 4): the 12349 call turned into an application, approval level by
amount, the emergency paid first with its paperwork due in 5 working days, the same cause once a calendar year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from doudi.accounts.actions import staff_create
from doudi.benefits.models import TemporaryAssistance, TemporaryState
from doudi.benefits.temporary import (
    hotline_call_record,
    temporary_apply,
    temporary_decide,
    temporary_paperwork_complete,
    temporary_pay_first,
)
from doudi.core.errors import ApplicationError, Conflict, PermissionDenied
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.pack import DEMO_PACK
from doudi.registry.models import Person

from ..conftest import PASSWORD

TODAY = dt.date(2026, 5, 6)  # a Wednesday


@pytest.fixture
def world(staff, register):
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)

    def make(username, role, area):
        return staff_create(
            actor=None, username=username, password=PASSWORD, role=role, area_code=area, check_password=False
        )

    h = register()
    return {
        "cw": staff["caseworker_a"],
        "tr": make("tr_a", "township_reviewer", "511425101000"),
        "approver": staff["approver"],
        "finance": make("fin", "finance_officer", "511425000000"),
        "household": h,
        "head": Person.objects.get(name="张大山"),
    }


def apply(world, **extra):
    args = dict(
        actor=world["cw"],
        household=world["household"],
        person=world["head"],
        kind="emergency",
        cause="房屋失火",
        hardship_date=dt.date(2026, 5, 4),
        loss="400.00",
    )
    return temporary_apply(**{**args, **extra})


def test_hotline_call_to_fast_track_payment_to_paperwork(world):
    call = hotline_call_record(
        actor=world["cw"],
        caller_name="张大山",
        caller_phone="13800001111",
        area_code="511425101201",
        need="昨夜房屋失火，口粮被褥烧毁",
        outcome="application",
    )
    ta = apply(world, call=call)
    assert (ta.amount, ta.approval_level, ta.fast_track, ta.state) == (
        Decimal("400.00"),
        "township",
        True,
        TemporaryState.AWAITING,
    )
    assert call.assistance == ta
    with pytest.raises(PermissionDenied):
        temporary_pay_first(actor=world["cw"], ta=ta, on=TODAY)  # the township's reviewer pays
    ta = temporary_pay_first(actor=world["tr"], ta=ta, on=TODAY)
    assert ta.state == TemporaryState.PAID_FIRST
    # 5 working days after Wednesday 6 May: 7, 8, Saturday 9 (made a working day after the Labour Day holiday), 11, 12
    assert ta.paperwork_due == dt.date(2026, 5, 12)
    lines = PayrollLine.objects.filter(
        payroll=payroll_generate(actor=world["finance"], programme="temporary", month=dt.date(2026, 5, 1))
    )
    assert [line.amount for line in lines] == [Decimal("400.00")]
    with pytest.raises(ApplicationError) as e:
        temporary_paperwork_complete(actor=world["cw"], ta=ta, record="  ", on=dt.date(2026, 5, 8))
    assert e.value.field == "record"
    ta = temporary_paperwork_complete(
        actor=world["cw"], ta=ta, record="入户核实火灾损失，救助400元，户主及经办人签字", on=dt.date(2026, 5, 8)
    )
    assert ta.state == TemporaryState.DOCUMENTED and ta.paperwork_done_on <= ta.paperwork_due


def test_referral_needs_a_department(world):
    with pytest.raises(ApplicationError) as e:
        hotline_call_record(
            actor=world["cw"],
            caller_name="李",
            caller_phone="",
            area_code="511425101201",
            need="孩子上学学费",
            outcome="referral",
        )
    assert e.value.field == "department"
    call = hotline_call_record(
        actor=world["cw"],
        caller_name="李",
        caller_phone="",
        area_code="511425101201",
        need="孩子上学学费",
        outcome="referral",
        department="education",
    )
    with pytest.raises(Conflict):
        apply(world, call=call)  # a referral is not an application


@pytest.mark.parametrize(
    "loss,level,fast,approver",
    [
        ("460.00", "township", True, "tr"),
        ("460.01", "county", False, "approver"),
        ("2300.00", "county", False, "approver"),
    ],
)
def test_approval_level_by_amount(world, loss, level, fast, approver):
    ta = apply(world, loss=loss)
    assert (ta.approval_level, ta.fast_track) == (level, fast)
    other = "approver" if approver == "tr" else "tr"
    if not fast:
        with pytest.raises(ApplicationError):
            temporary_pay_first(actor=world["tr"], ta=ta, on=TODAY)
    if other == "tr":
        with pytest.raises(PermissionDenied):
            temporary_decide(actor=world["tr"], ta=ta, approve=True, on=TODAY)
    ta = temporary_decide(actor=world[approver], ta=ta, approve=True, on=TODAY)
    assert ta.state == TemporaryState.APPROVED and ta.enrolment.monthly_amount == Decimal(
        loss if loss != "2300.00" else "2300.00"
    )


def test_same_cause_once_a_calendar_year(world):
    apply(world)
    with pytest.raises(ApplicationError) as e:
        apply(world, hardship_date=dt.date(2026, 5, 5))
    assert "一个自然年度内只救助一次" in e.value.zh
    assert TemporaryAssistance.objects.count() == 1
    apply(world, cause="突发重病")  # another cause is another matter
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database refuses a second row too
        first = TemporaryAssistance.objects.first()
        first.pk = None
        first.call = None
        first.enrolment = None
        first.save()


def test_refused_frees_the_cause(world):
    ta = apply(world)
    with pytest.raises(ApplicationError):
        temporary_decide(actor=world["tr"], ta=ta, approve=False, reason="", on=TODAY)
    temporary_decide(actor=world["tr"], ta=ta, approve=False, reason="损失已由保险全额赔付", on=TODAY)
    assert apply(world, loss="300.00").state == TemporaryState.AWAITING


def _home(client, user) -> str:
    client.force_login(user)
    return client.get("/").content.decode()


def test_home_pages_carry_temporary_assistance(world, client, staff):
    """Each person's home page has the temporary assistance waiting for them: the township's reviewer the
    applications within the township's limit (to approve or pay first), the county's approver those above it,
    the caseworker the paperwork of payments made first, overdue marked; another township sees none of it."""
    small = apply(world)  # 400.00: the township's, may be paid first
    large = apply(world, cause="交通事故", loss="2000.00")  # above 2 × S: the county's
    assert (small.approval_level, large.approval_level) == ("township", "county")
    page = _home(client, world["tr"])
    assert f'data-item="temporary-{small.pk}"' in page and "审批或先行救助" in page
    assert f'data-item="temporary-{large.pk}"' not in page
    page = _home(client, world["approver"])
    assert f'data-item="temporary-{large.pk}"' in page and f'data-item="temporary-{small.pk}"' not in page
    assert 'href="#temporary"' not in _home(client, world["cw"])  # nothing for the caseworker yet
    small = temporary_pay_first(actor=world["tr"], ta=small, on=TODAY)
    page = _home(client, world["cw"])
    assert f'data-item="temporary-{small.pk}"' in page and "补办先行救助手续" in page
    assert small.paperwork_due.isoformat() in page and "已逾期" in page  # due in May, long past
    assert 'href="#temporary"' not in _home(client, staff["caseworker_b"])  # another township
    temporary_paperwork_complete(actor=world["cw"], ta=small, record="入户核实，户主签字", on=TODAY)
    assert f'data-item="temporary-{small.pk}"' not in _home(client, world["cw"])
