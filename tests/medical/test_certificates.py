"""Disability certificates and the two subsidies (issue 15, medical step 3): the federation's file imported whole or
not at all, its review, civil affairs' approval writing the registry and paying the subsidies as the rules say,
and the living subsidy following dibao month by month."""

import datetime as dt
from decimal import Decimal

import pytest

from doudi.accounts.actions import staff_create
from doudi.cases.amounts import amount_for
from doudi.cases.models import Enrolment, EnrolmentStatus
from doudi.core.errors import ApplicationError, Conflict, PermissionDenied
from doudi.medical.certificates import (
    certificate_decide,
    certificate_import,
    certificate_review,
    disability_follow_dibao,
)
from doudi.medical.models import CertificateState, DisabilityCertificate
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine
from doudi.registry.models import Person

from ..conftest import PASSWORD, make_id, member
from .conftest import LI, ZHANG, enrol

HEADER = "姓名,身份证号,残疾证号,残疾类别,残疾等级,发证日期,有效期至"
ON = dt.date(2026, 11, 5)


@pytest.fixture
def county(staff, register, county_reviewer):
    from doudi.programmes.actions import policy_pack_load
    from doudi.programmes.pack import DEMO_PACK

    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    a = register()
    return {"a": a, "reviewer": county_reviewer, **staff}


def csv(*rows):
    return "\n".join([HEADER, *rows]).encode()


def amount(person, month):
    e = Enrolment.objects.get(programme_id="disability", person=person)
    return amount_for(list(e.changes.order_by("from_month", "id")), month)


def test_import_review_approve_then_the_living_subsidy_follows_dibao(county):
    approver, reviewer = county["approver"], county["reviewer"]
    dibao = enrol(county["a"], "dibao", approver)
    content = csv(
        f"张大山,{ZHANG},51142519750302111142,肢体残疾,2,2020-05-01,2030-05-01",
        f"李秀英,{LI},51142519780615222243,visual,4,2021-01-01,2031-01-01",
    )
    batch = certificate_import(actor=reviewer, filename="残联.csv", content=content, on=ON)
    assert batch.rows == 2
    zhang = DisabilityCertificate.objects.get(person__name="张大山")
    assert zhang.number == "51142519750302111142" and zhang.state == CertificateState.IMPORTED
    with pytest.raises(Conflict):
        certificate_decide(actor=approver, certificate=zhang, approve=True, on=ON)  # the federation reviews first
    with pytest.raises(PermissionDenied):
        certificate_review(actor=county["caseworker_a"], certificate=zhang, passed=True)
    for c in DisabilityCertificate.objects.all():
        certificate_review(actor=reviewer, certificate=c, passed=True, on=ON)
        certificate_decide(actor=approver, certificate=c, approve=True, on=ON)
    zhang_p, li_p = Person.objects.get(name="张大山"), Person.objects.get(name="李秀英")
    assert (zhang_p.disability_kind, zhang_p.disability_grade) == ("physical", 2)
    # on dibao: grade 2 gets the living subsidy 50 and the care subsidy 50; grade 4 the living subsidy only
    assert amount(zhang_p, dt.date(2026, 11, 1)) == Decimal("100.00")
    assert amount(li_p, dt.date(2026, 11, 1)) == Decimal("50.00")
    # the household leaves dibao after November: from December the living subsidy stops
    dibao.end_month = dt.date(2026, 11, 1)
    dibao.status = EnrolmentStatus.TERMINATED
    dibao.save()
    result = disability_follow_dibao(actor=approver, month=dt.date(2026, 12, 1))
    assert (result.changed, result.stopped, result.started) == (1, 1, 0)
    assert amount(zhang_p, dt.date(2026, 12, 1)) == Decimal("50.00")  # the care subsidy stays
    li_e = Enrolment.objects.get(programme_id="disability", person=li_p)
    assert li_e.status == EnrolmentStatus.TERMINATED and li_e.end_month == dt.date(2026, 11, 1)
    again = disability_follow_dibao(actor=approver, month=dt.date(2026, 12, 1))
    assert (again.changed, again.stopped, again.started) == (0, 0, 0)  # a rerun changes nothing


def test_a_new_dibao_household_with_a_disabled_member_gets_the_subsidy(county, register):
    approver = county["approver"]
    h = register(
        members=[member("赵一", "1960-02-02", 51, "head", disability_kind="physical", disability_grade=3)],
        bank_account="6217000011117777333",
    )
    assert disability_follow_dibao(actor=approver, month=dt.date(2026, 1, 1)).started == 0  # grade 3, no dibao
    enrol(h, "dibao", approver)
    result = disability_follow_dibao(actor=approver, month=dt.date(2026, 2, 1))
    assert result.started == 1
    assert amount(Person.objects.get(name="赵一"), dt.date(2026, 2, 1)) == Decimal("50.00")


def test_bad_rows_refuse_the_whole_file(county):
    content = csv(
        f"张大山,{ZHANG},51142519750302111142,肢体残疾,5,2020-05-01,2030-05-01",
        f"李秀英,{LI},51142519780615222243,看不见,2,2021-01-01,2025-01-01",
        f"张大山,{make_id('1990-01-01', 77)},X1,肢体残疾,1,2021-01-01,2031-01-01",
    )
    with pytest.raises(ApplicationError) as e:
        certificate_import(actor=county["reviewer"], filename="残联.csv", content=content, on=ON)
    got = {(x["row"], x["column"]) for x in e.value.extra["errors"]}
    assert got == {(2, "残疾等级"), (3, "残疾类别"), (3, "有效期至"), (4, "公民身份号码")}
    assert not DisabilityCertificate.objects.exists()
    # a township caseworker may not load a department's file
    with pytest.raises(PermissionDenied):
        certificate_import(actor=county["caseworker_a"], filename="残联.csv", content=content, on=ON)


def test_a_pending_certificate_is_not_imported_twice(county):
    content = csv(f"张大山,{ZHANG},51142519750302111142,肢体残疾,2,2020-05-01,2030-05-01")
    certificate_import(actor=county["reviewer"], filename="a.csv", content=content, on=ON)
    with pytest.raises(ApplicationError) as e:
        certificate_import(actor=county["reviewer"], filename="a.csv", content=content, on=ON)
    assert e.value.extra["errors"][0]["message"] == "此人已有待审核的残疾人证"
    other = staff_create(
        actor=None,
        username="rev_b",
        password=PASSWORD,
        role="county_reviewer",
        area_code="511425102000",
        check_password=False,
    )
    with pytest.raises(ApplicationError) as e:  # township B's reviewer cannot reach township A's people
        certificate_import(actor=other, filename="b.csv", content=content, on=ON)
    assert e.value.extra["errors"][0]["message"] == "在您辖区的登记人员中找不到此身份证号"


def test_each_step_has_its_time_limit_in_working_days_on_the_list_and_the_home_page(county, client_for):
    """Domain.md §5c: the federation reviews within 10 working days, then civil affairs approves within 10 — the
    procedure's data, counted on the official calendar; what is past its day says so on the list and on the home
    page of whoever's step it is."""
    from django.utils import timezone

    from doudi.medical.models import CertificateBatch
    from doudi.medical.selectors import certificate_list, with_due

    reviewer, approver = county["reviewer"], county["approver"]
    content = csv(f"张大山,{ZHANG},51142519750302111142,肢体残疾,2,2020-05-01,2030-05-01")
    batch = certificate_import(actor=reviewer, filename="残联.csv", content=content, on=ON)
    loaded = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))  # a Monday
    CertificateBatch.objects.filter(pk=batch.pk).update(loaded_at=loaded)

    def due(today):
        [c] = with_due(certificate_list(reviewer), today)
        return c.due, c.overdue

    # 3–6, 9–13, 16 March: the 10th working day after the import is Monday 16 March
    assert due(dt.date(2026, 3, 16)) == (dt.date(2026, 3, 16), False)
    assert due(dt.date(2026, 3, 17)) == (dt.date(2026, 3, 16), True)
    page = client_for(reviewer).get("/").content.decode()
    assert 'id="certificates"' in page and "待残联审核 1 件" in page and "其中 1 件已超过10个工作日的办理期限" in page
    listed = client_for(reviewer).get("/medical/certificates/").content.decode()
    assert "2026-03-16，已超期" in listed
    # reviewed on Friday 20 March: civil affairs has until 3 April (23–27, 30, 31 March, 1–3 April)
    c = DisabilityCertificate.objects.get()
    certificate_review(actor=reviewer, certificate=c, passed=True, on=dt.date(2026, 3, 20))
    assert due(dt.date(2026, 4, 3)) == (dt.date(2026, 4, 3), False)
    assert 'id="certificates"' not in client_for(reviewer).get("/").content.decode()  # no longer the reviewer's
    assert "残联已审核、待审批 1 件" in client_for(approver).get("/").content.decode()
    certificate_decide(actor=approver, certificate=DisabilityCertificate.objects.get(), approve=True, on=ON)
    assert due(dt.date(2026, 12, 1)) == (None, False)  # decided: no time limit left
    assert 'id="certificates"' not in client_for(approver).get("/").content.decode()


def _finance():
    return staff_create(
        actor=None,
        username="fin_dis",
        password=PASSWORD,
        role="finance_officer",
        area_code="511425000000",
        check_password=False,
    )


def _apply_and_decide(county, content, *, imported, reviewed, decided):
    reviewer, approver = county["reviewer"], county["approver"]
    certificate_import(
        actor=reviewer, filename="残联.csv", content=("\n".join([HEADER + ",申请日期", *content])).encode(), on=imported
    )
    for c in DisabilityCertificate.objects.filter(state=CertificateState.IMPORTED):
        certificate_review(actor=reviewer, certificate=c, passed=True, on=reviewed)
        certificate_decide(actor=approver, certificate=c, approve=True, on=decided)


def test_paid_from_the_month_of_application_with_arrears_in_the_next_payroll(county):
    """domain.md §5c "paid from the month of application", worked by hand: 张大山 (grade 2, in a dibao household
    since January) applies on 10 March 2026, the federation reviews in April, civil affairs approves on 8 May.
    Each month March–May is owed living 50 + care 50 = 100.00, so May's payroll pays March, April and May:
    300.00, of which 200.00 arrears."""
    enrol(county["a"], "dibao", county["approver"])
    _apply_and_decide(
        county,
        [f"张大山,{ZHANG},51142519750302111142,肢体残疾,2,2020-05-01,2030-05-01,2026-03-10"],
        imported=dt.date(2026, 3, 12),
        reviewed=dt.date(2026, 4, 20),
        decided=dt.date(2026, 5, 8),
    )
    zhang = Person.objects.get(name="张大山")
    e = Enrolment.objects.get(programme_id="disability", person=zhang)
    assert e.start_month == dt.date(2026, 3, 1)  # the month of application, not May's decision
    assert DisabilityCertificate.objects.get(person=zhang).applied_on == dt.date(2026, 3, 10)
    payroll = payroll_generate(actor=_finance(), programme="disability", month=dt.date(2026, 5, 1))
    line = PayrollLine.objects.get(payroll=payroll, enrolment=e)
    assert line.months == ["2026-03-01", "2026-04-01", "2026-05-01"]
    assert (line.amount, line.current_amount, line.arrears_amount) == (
        Decimal("300.00"),
        Decimal("100.00"),
        Decimal("200.00"),
    )


def test_each_month_since_the_application_pays_what_the_rules_gave_that_month(county):
    """The household joins dibao only in April: March (applied 5 March) owes the care subsidy alone, 50.00 for
    grade 2; April and May add the living subsidy, 100.00. A grade 4 member (no care subsidy) who applied in
    March is paid from April, the first month anything was due."""
    dibao = enrol(county["a"], "dibao", county["approver"])
    dibao.start_month = dt.date(2026, 4, 1)
    dibao.save()
    dibao.changes.update(from_month=dt.date(2026, 4, 1))
    _apply_and_decide(
        county,
        [
            f"张大山,{ZHANG},51142519750302111142,肢体残疾,2,2020-05-01,2030-05-01,2026-03-05",
            f"李秀英,{LI},51142519780615222243,visual,4,2021-01-01,2031-01-01,2026-03-05",
        ],
        imported=dt.date(2026, 3, 6),
        reviewed=dt.date(2026, 4, 20),
        decided=dt.date(2026, 5, 8),
    )
    zhang, li = Person.objects.get(name="张大山"), Person.objects.get(name="李秀英")
    assert [amount(zhang, dt.date(2026, m, 1)) for m in (3, 4, 5)] == [
        Decimal("50.00"),
        Decimal("100.00"),
        Decimal("100.00"),
    ]
    li_e = Enrolment.objects.get(programme_id="disability", person=li)
    assert li_e.start_month == dt.date(2026, 4, 1)
    payroll = payroll_generate(actor=_finance(), programme="disability", month=dt.date(2026, 5, 1))
    got = {
        line.enrolment.person.name: (line.months, line.amount)
        for line in PayrollLine.objects.filter(payroll=payroll).select_related("enrolment__person")
    }
    assert got == {
        "张大山": (["2026-03-01", "2026-04-01", "2026-05-01"], Decimal("250.00")),
        "李秀英": (["2026-04-01", "2026-05-01"], Decimal("100.00")),
    }


def test_an_application_date_before_the_certificate_or_after_the_file_is_refused(county):
    content = "\n".join(
        [
            HEADER + ",申请日期",
            f"张大山,{ZHANG},51142519750302111142,肢体残疾,2,2020-05-01,2030-05-01,2020-04-30",
            f"李秀英,{LI},51142519780615222243,visual,4,2021-01-01,2031-01-01,2026-12-01",
        ]
    ).encode()
    with pytest.raises(ApplicationError) as e:
        certificate_import(actor=county["reviewer"], filename="残联.csv", content=content, on=ON)
    got = {(x["row"], x["column"]) for x in e.value.extra["errors"]}
    assert got == {(2, "申请日期"), (3, "申请日期")}
    assert not DisabilityCertificate.objects.exists()


def test_the_buttons_say_what_they_do_in_english(county, client_for):
    """不予批准 names a state (Refused) and a button (Refuse): the button's text has its own context, so the English
    page asks the approver to act rather than telling them it is done."""
    reviewer, approver = county["reviewer"], county["approver"]
    content = csv(f"张大山,{ZHANG},51142519750302111142,肢体残疾,2,2020-05-01,2030-05-01")
    certificate_import(actor=reviewer, filename="残联.csv", content=content, on=ON)
    c = client_for(reviewer)
    c.cookies["django_language"] = "en"
    listed = c.get("/medical/certificates/").content.decode()
    assert "<button>Reject</button>" in listed and "Not passed</button>" not in listed
    certificate_review(actor=reviewer, certificate=DisabilityCertificate.objects.get(), passed=True, on=ON)
    c = client_for(approver)
    c.cookies["django_language"] = "en"
    listed = c.get("/medical/certificates/").content.decode()
    assert "<button>Refuse</button>" in listed and "Refused</button>" not in listed
    c.cookies["django_language"] = "zh-hans"
    assert "<button>不予批准</button>" in c.get("/medical/certificates/").content.decode()


def test_a_higher_grade_for_someone_already_paid_counts_from_the_month_of_application(county):
    """Worked by hand: 张大山 (dibao since January) gets the living subsidy for grade 3 from January: 50.00 a month,
    paid January–April. A new certificate, grade 2, applied for on 10 March and approved on 8 May, adds the care
    subsidy (50.00) from March: March and April are owed 100.00 each, 50.00 more than paid, so May's payroll pays
    May's 100.00 and 100.00 arrears. January and February stay at 50.00. Back down to grade 3 (applied in May,
    approved in July): June keeps 100.00 — a lower amount is never backdated — and July pays 50.00."""
    enrol(county["a"], "dibao", county["approver"])
    row = "张大山,{id},5114251975030211114{n},肢体残疾,{grade},2020-05-01,2030-05-01,{applied}"
    _apply_and_decide(
        county,
        [row.format(id=ZHANG, n=2, grade=3, applied="2026-01-05")],
        imported=dt.date(2026, 1, 6),
        reviewed=dt.date(2026, 1, 8),
        decided=dt.date(2026, 1, 12),
    )
    zhang = Person.objects.get(name="张大山")
    finance = _finance()
    for m in (1, 2, 3, 4):
        payroll_generate(actor=finance, programme="disability", month=dt.date(2026, m, 1))
    assert amount(zhang, dt.date(2026, 4, 1)) == Decimal("50.00")
    _apply_and_decide(
        county,
        [row.format(id=ZHANG, n=3, grade=2, applied="2026-03-10")],
        imported=dt.date(2026, 3, 12),
        reviewed=dt.date(2026, 4, 20),
        decided=dt.date(2026, 5, 8),
    )
    assert Enrolment.objects.filter(programme_id="disability", person=zhang).count() == 1
    assert [amount(zhang, dt.date(2026, m, 1)) for m in (1, 2, 3, 4, 5)] == [
        Decimal("50.00"),
        Decimal("50.00"),
        Decimal("100.00"),
        Decimal("100.00"),
        Decimal("100.00"),
    ]
    e = Enrolment.objects.get(programme_id="disability", person=zhang)
    line = PayrollLine.objects.get(
        payroll=payroll_generate(actor=finance, programme="disability", month=dt.date(2026, 5, 1)), enrolment=e
    )
    assert line.months == ["2026-03-01", "2026-04-01", "2026-05-01"]
    assert (line.amount, line.current_amount, line.arrears_amount) == (
        Decimal("200.00"),
        Decimal("100.00"),
        Decimal("100.00"),
    )
    assert e.changes.filter(reason__contains="自申请当月起按新等级核定").count() == 1
    payroll_generate(actor=finance, programme="disability", month=dt.date(2026, 6, 1))
    _apply_and_decide(
        county,
        [row.format(id=ZHANG, n=4, grade=3, applied="2026-05-20")],
        imported=dt.date(2026, 5, 21),
        reviewed=dt.date(2026, 6, 10),
        decided=dt.date(2026, 7, 2),
    )
    assert [amount(zhang, dt.date(2026, m, 1)) for m in (5, 6, 7)] == [
        Decimal("100.00"),
        Decimal("100.00"),
        Decimal("50.00"),
    ]
