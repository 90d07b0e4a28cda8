"""Grants of the programmes beyond dibao and tekun through the payroll (issue 15, step 3): the old-age allowance
roster month by month, a monthly grant, one-off payments, and the funeral waiver paid to the funeral home."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from doudi.benefits.actions import benefit_grant, elderly_roster_build, funeral_home_create
from doudi.benefits.life import person_death_record
from doudi.cases.models import ChangeReport, Enrolment, EnrolmentStatus
from doudi.core.errors import ApplicationError, Conflict, PermissionDenied
from doudi.payments import totals
from doudi.payments.generation import payroll_generate
from doudi.payments.models import LedgerEntry, PayrollLine
from doudi.programmes.rules.inputs import Claim, Funeral, FuneralService, Hardship
from doudi.programmes.rules.registry_input import household_input
from doudi.registry.models import Person

from ..conftest import member
from .helpers import confirm_all, dibao


def lines(programme, month, finance, confirmer=None):
    if programme == "elderly":
        confirm_all(month, confirmer)
    p = payroll_generate(actor=finance, programme=programme, month=month)
    return p, list(PayrollLine.objects.filter(payroll=p).order_by("id"))


def test_elderly_roster_birthday_month_december_and_death(setup):
    h = setup["register"](
        members=[member("周老汉", "1946-11-20", 31, "head"), member("王老太", "1936-03-05", 42, "spouse")],
    )
    approver, fin = setup["approver"], setup["finance"]
    oct_ = elderly_roster_build(actor=approver, month=dt.date(2026, 10, 1))
    assert (oct_.added, oct_.paid) == (1, 1)  # 王老太 is 90: 41.66; 周老汉 is 79
    _p, ls = lines("elderly", dt.date(2026, 10, 1), fin, setup["cadre"])
    assert [line.amount for line in ls] == [Decimal("41.66")]
    nov = elderly_roster_build(actor=approver, month=dt.date(2026, 11, 1))
    assert (nov.added, nov.changed, nov.paid, nov.total) == (1, 0, 2, Decimal("61.66"))  # 周老汉 turns 80
    again = elderly_roster_build(actor=approver, month=dt.date(2026, 11, 1))
    assert (again.added, again.changed, again.stopped) == (0, 0, 0)  # a rerun changes nothing
    p, ls = lines("elderly", dt.date(2026, 11, 1), fin, setup["cadre"])
    assert sorted(line.amount for line in ls) == [Decimal("20.00"), Decimal("41.66")]
    assert totals.ledger_sum(p) == totals.lines_sum(p) == Decimal("61.66")
    dec = elderly_roster_build(actor=approver, month=dt.date(2026, 12, 1))
    assert dec.changed == 1  # 500 − 11 × 41.66 = 41.74; 240 − 11 × 20 = 20.00 unchanged
    _p, ls = lines("elderly", dt.date(2026, 12, 1), fin, setup["cadre"])
    assert sorted(line.amount for line in ls) == [Decimal("20.00"), Decimal("41.74")]
    Person.objects.filter(name="王老太").update(deceased=True)
    jan = elderly_roster_build(actor=approver, month=dt.date(2027, 1, 1))
    assert (jan.stopped, jan.paid) == (1, 1)
    stopped = Enrolment.objects.get(programme_id="elderly", person__name="王老太")
    assert stopped.status == EnrolmentStatus.TERMINATED and stopped.end_month == dt.date(2026, 12, 1)
    _p, ls = lines("elderly", dt.date(2027, 1, 1), fin, setup["cadre"])
    assert [line.amount for line in ls] == [Decimal("20.00")]
    assert h.pk == ls[0].household_id


def test_roster_needs_the_decide_permission(setup):
    with pytest.raises(PermissionDenied):
        elderly_roster_build(actor=setup["caseworker"], month=dt.date(2026, 11, 1))


def test_disability_grant_monthly_through_the_payroll(setup):
    h = setup["register"](
        members=[member("孙立", "1972-08-08", 51, "head", disability_kind="physical", disability_grade=1)]
    )
    facts = replace(household_input(h), enrolled=("dibao",))
    person = Person.objects.get(name="孙立")
    e = benefit_grant(
        actor=setup["approver"],
        programme="disability",
        household=h,
        person=person,
        on=dt.date(2026, 3, 10),
        facts=facts,
    )
    assert (e.start_month, e.end_month, e.monthly_amount) == (dt.date(2026, 3, 1), None, Decimal("150.00"))
    assert e.case.decision_explanation  # the decision's explanation is kept with the case
    _p, ls = lines("disability", dt.date(2026, 4, 1), setup["finance"])
    assert [(line.amount, line.arrears_amount) for line in ls] == [(Decimal("300.00"), Decimal("150.00"))]
    with pytest.raises(Conflict):
        benefit_grant(
            actor=setup["approver"],
            programme="disability",
            household=h,
            person=person,
            on=dt.date(2026, 4, 1),
            facts=facts,
        )


def test_not_eligible_is_refused_and_nothing_saved(setup):
    h = setup["register"]()
    with pytest.raises(ApplicationError) as e:
        benefit_grant(
            actor=setup["approver"],
            programme="disability",
            household=h,
            person=Person.objects.get(name="张大山"),
            on=dt.date(2026, 3, 10),
            facts=household_input(h),
        )
    assert e.value.code == "not_eligible"
    assert not Enrolment.objects.exists()


def test_temporary_paid_once_in_its_month(setup):
    h = setup["register"]()
    facts = replace(
        household_input(h),
        hardship=Hardship("emergency", "房屋失火", Decimal("1500"), Decimal("0"), Decimal("0"), dt.date(2026, 5, 6)),
    )
    e = benefit_grant(
        actor=setup["approver"],
        programme="temporary",
        household=h,
        person=Person.objects.get(name="张大山"),
        on=dt.date(2026, 5, 7),
        facts=facts,
    )
    assert (e.start_month, e.end_month, e.monthly_amount) == (
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 1),
        Decimal("1500.00"),
    )
    _p, ls = lines("temporary", dt.date(2026, 5, 1), setup["finance"])
    assert [line.amount for line in ls] == [Decimal("1500.00")]
    _p, ls = lines("temporary", dt.date(2026, 6, 1), setup["finance"])
    assert ls == []


def test_medical_claim_paid_once(setup):
    h = setup["register"]()
    claim = Claim(0, Decimal("2000.00"), False, Decimal("0"), Decimal("0"), dt.date(2026, 5, 2))
    facts = replace(household_input(h), enrolled=("dibao",), claim=claim)
    e = benefit_grant(
        actor=setup["approver"],
        programme="medical",
        household=h,
        person=Person.objects.get(name="张大山"),
        on=dt.date(2026, 5, 7),
        facts=facts,
    )
    assert e.monthly_amount == Decimal("1400.00")


def test_funeral_waiver_paid_to_the_funeral_home_once(setup):
    h = setup["register"]()
    Person.objects.filter(name="张大山").update(deceased=True)
    home = funeral_home_create(
        actor=setup["approver"],
        name="青神县殡仪馆",
        area_code="511425000000",
        bank_account="6228480000123456789",
        account_holder="青神县殡仪馆",
    )
    services = (FuneralService("transport", Decimal("350")), FuneralService("cremation", Decimal("380")))
    facts = replace(household_input(h), funeral=Funeral(0, services))
    person = Person.objects.get(name="张大山")
    grant = dict(actor=setup["approver"], programme="funeral", household=h, person=person, on=dt.date(2026, 5, 7))
    with pytest.raises(ApplicationError) as e:
        benefit_grant(**grant, facts=facts)
    assert e.value.field == "funeral_home"
    enrolment = benefit_grant(**grant, facts=facts, funeral_home=home)
    assert enrolment.monthly_amount == Decimal("680.00")
    p, ls = lines("funeral", dt.date(2026, 5, 1), setup["finance"])
    assert [(line.amount, line.account, line.account_holder) for line in ls] == [
        (Decimal("680.00"), "6228480000123456789", "青神县殡仪馆")
    ]
    assert LedgerEntry.objects.filter(payroll=p).count() == 1
    with pytest.raises(Conflict):
        benefit_grant(**grant, facts=facts, funeral_home=home)


def test_one_death_acts_on_every_programme(setup):
    """The person's own programmes stop after the month of death; the household's dibao gets a death change report
    that re-evaluates it from the next month."""
    h = setup["register"](
        members=[
            member("周老汉", "1940-11-20", 31, "head", disability_kind="physical", disability_grade=2),
            member("周小妹", "1980-03-05", 42, "child"),
        ],
    )
    approver = setup["approver"]
    old = Person.objects.get(name="周老汉")
    elderly_roster_build(actor=approver, month=dt.date(2026, 3, 1))
    benefit_grant(
        actor=approver,
        programme="disability",
        household=h,
        person=old,
        on=dt.date(2026, 3, 2),
        facts=household_input(h),
    )
    household_dibao = dibao(h, old, approver=approver)
    result = person_death_record(
        actor=setup["caseworker"], person=old, died_on=dt.date(2026, 4, 10), details="村委会报告"
    )
    assert sorted(result.stopped) == ["disability", "elderly"] and result.reported == ["dibao"]
    old.refresh_from_db()
    assert old.deceased
    for e in Enrolment.objects.filter(person=old):
        assert (e.status, e.end_month) == (EnrolmentStatus.TERMINATED, dt.date(2026, 4, 1))
        assert e.changes.last().from_month == dt.date(2026, 5, 1)  # paid up to the month of death
    report = ChangeReport.objects.get(enrolment=household_dibao)
    assert report.kind == "death" and report.effective_month == dt.date(2026, 5, 1)
    with pytest.raises(Conflict):
        person_death_record(actor=setup["caseworker"], person=old, died_on=dt.date(2026, 4, 10), details="重复")


def test_a_grant_shows_on_the_household_and_case_pages_with_its_explanation(setup, client):
    """A grant keeps its decision as a procedure's case does (the explanation inside): the household page, which
    reads every case's explanation, answered 500 when a grant kept the bare list (found by the load run)."""
    h = setup["register"](
        members=[member("孙立", "1972-08-08", 51, "head", disability_kind="physical", disability_grade=1)]
    )
    facts = replace(household_input(h), enrolled=("dibao",))
    e = benefit_grant(
        actor=setup["approver"],
        programme="disability",
        household=h,
        person=Person.objects.get(name="孙立"),
        on=dt.date(2026, 3, 10),
        facts=facts,
    )
    assert isinstance(e.case.decision_explanation, dict) and e.case.decision_explanation["explanation"]
    client.force_login(setup["caseworker"])
    first = e.case.decision_explanation["explanation"][0]["zh"]
    for url in (f"/households/{h.pk}/", f"/cases/{e.case.pk}/"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert first in page.content.decode(), url


def test_a_grant_on_the_person_page_or_api_reads_the_household_s_dibao(setup, client_for):
    """Domain.md §5c: the living subsidy (50.00) is for each disabled member of a dibao household, the care subsidy
    (50.00 for grade 2) for grades 1–2 whatever the income. Granted from the person's page or the API, the rules read
    the household's dibao of each month paid (before, they read the registry alone: a dibao household's grade-4
    member was refused, a grade-2 one got the care subsidy only)."""
    from django.utils import timezone

    h = setup["register"](
        members=[
            member("钱五", "1968-04-04", 61, "head", disability_kind="visual", disability_grade=4),
            member("钱小五", "1995-05-05", 62, "child", disability_kind="physical", disability_grade=2),
        ]
    )
    dibao(h, Person.objects.get(name="钱五"), start=dt.date(2026, 1, 1), approver=setup["approver"])
    today = timezone.localdate()
    applied = today.replace(day=1) - dt.timedelta(days=20)  # last month
    page = client_for(setup["approver"])
    head = Person.objects.get(name="钱五")
    r = page.post(f"/people/{head.pk}/grant/disability/", {"applied_on": applied.isoformat(), "note": "测试"})
    assert r.status_code == 302, r.content.decode()[:2000]
    e = Enrolment.objects.get(programme_id="disability", person=head)
    assert e.monthly_amount == Decimal("50.00") and e.start_month == applied.replace(day=1)  # living, from then
    child = Person.objects.get(name="钱小五")
    r = page.post(
        f"/api/v1/people/{child.pk}/grants",
        {"programme": "disability", "applied_on": today.isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["monthly_amount"] == "100.00"  # living 50 + care 50
