"""Temporary assistance whole (issue 15, step 4): the 12349 call turned into an application, approval level by
amount, the emergency paid first with its paperwork due in 5 working days, the same cause once a calendar year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from doudi.accounts.actions import staff_create
from doudi.benefits.models import TemporaryAssistance, TemporaryState
from doudi.benefits.selectors import temporary_get
from doudi.benefits.temporary import (
    applicant_by_id_number,
    hotline_call_record,
    temporary_apply,
    temporary_decide,
    temporary_paperwork_complete,
    temporary_pay_first,
)
from doudi.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.pack import DEMO_PACK
from doudi.registry.models import Person

from ..conftest import PASSWORD, make_id

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


def test_applied_for_where_the_hardship_happened(world, staff, client):
    """domain.md §5, apply where the hardship happens: 张大山 (registered in 汉阳镇, township A) is hurt in an
    accident in 南河村 of 瑞峰镇 (township B). B's caseworker finds him by his whole ID number and files it there:
    B handles it (its scope), pays it first from B, and A's staff neither see nor act on it; a hardship in A stays
    A's, and nobody files for a place outside their own area."""
    cw_b = staff["caseworker_b"]
    tr_b = staff_create(
        actor=None,
        username="tr_b",
        password=PASSWORD,
        role="township_reviewer",
        area_code="511425102000",
        check_password=False,
    )
    with pytest.raises(ApplicationError) as e:  # the ID number checked before anything is looked up
        applicant_by_id_number(cw_b, "51142519750302111")
    assert e.value.field == "id_number"
    with pytest.raises(NotFound):  # not registered in the county
        applicant_by_id_number(cw_b, make_id("1990-01-01", 99))
    found = applicant_by_id_number(cw_b, make_id("1975-03-02", 11))
    assert (found.person, found.household) == (world["head"], world["household"])
    ta = apply(world, actor=cw_b, cause="交通事故", hardship_area="511425102201")
    assert (ta.hardship_area_code, ta.area_code) == ("511425102201", "511425102000")
    with pytest.raises(NotFound):  # A's caseworker does not see it
        temporary_get(world["cw"], ta.pk)
    with pytest.raises(NotFound):  # nor does A's reviewer pay it
        temporary_pay_first(actor=world["tr"], ta=ta, on=TODAY)
    ta = temporary_pay_first(actor=tr_b, ta=ta, on=TODAY)
    assert ta.enrolment.area_code == "511425102000" and ta.enrolment.household == world["household"]
    # B's payroll pays it; A's has nothing of it
    fin_b = staff_create(
        actor=None,
        username="fin_b",
        password=PASSWORD,
        role="finance_officer",
        area_code="511425102000",
        check_password=False,
    )
    payroll = payroll_generate(actor=fin_b, programme="temporary", month=dt.date(2026, 5, 1))
    assert list(PayrollLine.objects.filter(payroll=payroll).values_list("enrolment_id", flat=True)) == [ta.enrolment_id]
    # the same household's hardship in its own township (the default) stays with A
    home = apply(world, cause="房屋失火")
    assert (home.hardship_area_code, home.area_code) == ("511425101201", "511425101201")
    same = apply(world, cause="急病", hardship_area="511425101001")  # another village of A: still A's household's
    assert (same.hardship_area_code, same.area_code) == ("511425101001", "511425101201")
    with pytest.raises(NotFound):  # A's caseworker cannot file a hardship that happened in B
        apply(world, cause="溺水", hardship_area="511425102201")
    with pytest.raises(NotFound):  # nor B's caseworker one that happened in A
        apply(world, actor=cw_b, cause="溺水", hardship_area="511425101201")
    for bad in ("511425999201", "510100000000", "511425000000", "x"):  # not a place of the county
        with pytest.raises(ApplicationError) as e:
            apply(world, actor=cw_b, cause="溺水", hardship_area=bad)
        assert e.value.field == "hardship_area"
    assert TemporaryAssistance.objects.count() == 3


def test_the_hotline_calls_place_is_the_hardships(world, staff):
    """A call to the hotline records where the hardship is; the application that follows is filed there."""
    cw_b = staff["caseworker_b"]
    call = hotline_call_record(
        actor=cw_b,
        caller_name="张大山",
        caller_phone="13800001111",
        area_code="511425102201",
        need="在南河村务工时受伤",
        outcome="application",
    )
    ta = apply(world, actor=cw_b, call=call, cause="工伤")
    assert (ta.hardship_area_code, ta.area_code, ta.call) == ("511425102201", "511425102000", call)


def test_the_page_files_an_application_away_from_home(world, staff, client):
    client.force_login(staff["caseworker_b"])
    number = make_id("1975-03-02", 11)
    page = client.post("/temporary/new/", {"id_number": make_id("1990-01-01", 99)}).content.decode()
    assert "在本县登记人员中找不到此身份证号" in page
    page = client.post("/temporary/new/", {"id_number": number}).content.decode()
    assert 'name="hardship_area"' in page and "南河村" in page and "李秀英" not in page  # only the applicant shown
    r = client.post(
        "/temporary/new/",
        {
            "id_number": number,
            "applicant": str(world["head"].pk),
            "hardship_area": "511425102201",
            "kind": "emergency",
            "cause": "交通事故",
            "hardship_date": "2026-05-04",
            "loss": "400",
        },
    )
    ta = TemporaryAssistance.objects.get()
    assert r.status_code == 302 and (ta.area_code, ta.hardship_area_code) == ("511425102000", "511425102201")
    detail = client.get(f"/temporary/{ta.pk}/").content.decode()
    assert "瑞峰镇南河村" in detail and "由当地乡镇（街道）办理" in detail


def test_pages_show_a_one_off_grant_as_money_once(world, client_for):
    """The amounts on the temporary assistance pages are grouped by thousands like every other amount, and the
    grant once decided reads as one payment — not so much a month, nor reviewed — on the household's page,
    the enrolment's and the case's."""
    ta = apply(world, cause="交通事故", loss="2000.00")
    ta = temporary_decide(actor=world["approver"], ta=ta, approve=True, on=TODAY)
    c = client_for(world["cw"])
    listing = c.get("/temporary/").content.decode()
    assert ">2,000.00<" in listing and ">2000.00<" not in listing
    assert "<b>2,000.00</b>" in c.get(f"/temporary/{ta.pk}/").content.decode()
    page = c.get(f"/households/{world['household'].pk}/").content.decode()
    assert "核定一次性救助 2,000.00 元，2026-05 发放" in page and "2,000.00 元/月" not in page
    assert "<b>临时救助</b> 待发放 ·" in page and "<b>临时救助</b> 在保" not in page  # a one-off is paid, or not yet
    e = ta.enrolment
    page = c.get(f"/enrolments/{e.pk}/").content.decode()
    assert "一次性" in page and "月发放金额" not in page and "下次复核" not in page
    page = c.get(f"/cases/{e.case_id}/").content.decode()
    assert "核定一次性救助 2,000.00 元" in page and "元/月，自" not in page


def test_a_one_off_grant_takes_no_change_report(world, client_for):
    """A change report re-evaluates a monthly amount: a one-off grant has none, so its page offers no such form and
    the action refuses, naming why, with nothing written."""
    from doudi.cases.actions import change_report_record
    from doudi.cases.models import ChangeReport, EnrolmentChange
    from doudi.core.errors import Conflict

    ta = temporary_decide(
        actor=world["approver"], ta=apply(world, cause="交通事故", loss="2000.00"), approve=True, on=TODAY
    )
    page = client_for(world["cw"]).get(f"/enrolments/{ta.enrolment_id}/").content.decode()
    assert "登记变化情况" not in page and 'name="kind"' not in page
    changes = EnrolmentChange.objects.filter(enrolment=ta.enrolment).count()
    with pytest.raises(Conflict) as e:
        change_report_record(
            actor=world["cw"], enrolment=ta.enrolment, kind="income", effective_month=TODAY, details="收入增加"
        )
    assert "一次性救助只发放一次" in e.value.message and e.value.field == "enrolment"
    assert (
        not ChangeReport.objects.exists() and EnrolmentChange.objects.filter(enrolment=ta.enrolment).count() == changes
    )
