import datetime as dt
from decimal import Decimal

import pytest

from doudi.cases.actions import case_move, change_report_record, dynamic_management_run
from doudi.cases.models import Case, Enrolment, EnrolmentChange, Overpayment
from doudi.core.errors import ApplicationError
from doudi.registry.actions import person_update, record_add
from doudi.registry.models import Person

from .conftest import D, walk


@pytest.fixture
def enrolled(apply, people):
    case = walk(apply().cases.get(), people)
    return Enrolment.objects.get(case=case)


def test_review_category_and_schedule(enrolled, people, staff):
    # the head is 56 and able to work: irregular → every 6 months
    assert enrolled.review_category == "irregular" and enrolled.next_review_due == dt.date(2026, 9, 1)
    assert dynamic_management_run(on=dt.date(2026, 8, 31))["reviews_opened"] == 0
    assert dynamic_management_run(on=dt.date(2026, 9, 1))["reviews_opened"] == 1
    assert dynamic_management_run(on=dt.date(2026, 9, 2))["reviews_opened"] == 0  # no duplicate while open
    review = Case.objects.get(kind="review")
    assert review.state == "accepted" and review.enrolment == enrolled and review.step_due is not None


def test_stable_household_reviewed_yearly(apply, people, staff, poor_household):
    # make everybody unable to work: an elderly couple with a pension
    for p in Person.objects.filter(memberships__household=poor_household):
        person_update(actor=staff["caseworker_a"], person=p, data={"labour_capacity": "none"})
    case = walk(apply().cases.get(), people)
    e = Enrolment.objects.get(case=case)
    assert e.review_category == "stable" and e.next_review_due == dt.date(2027, e.next_review_due.month, 1)
    assert (e.next_review_due.year - case.decided_on.year) * 12 + e.next_review_due.month - case.decided_on.month == 12


def test_review_case_goes_through_the_same_workflow(enrolled, people):
    dynamic_management_run(on=dt.date(2026, 9, 1))
    review = Case.objects.get(kind="review")
    steps = walk(review, people, on=dt.date(2026, 9, 1), until="county_review")
    approved = case_move(actor=people["approver"], case=steps, move="approve", on=steps.notice_end)
    enrolled.refresh_from_db()
    assert approved.state == "approved" and enrolled.next_review_due > dt.date(2026, 9, 1)
    assert enrolled.changes.last().reason == "复核后核定"


def test_review_refused_terminates_from_next_month(enrolled, people):
    dynamic_management_run(on=dt.date(2026, 9, 1))
    review = walk(Case.objects.get(kind="review"), people, on=dt.date(2026, 9, 1), until="county_review")
    case_move(
        actor=people["approver"], case=review, move="refuse", on=review.notice_end, data={"reason": "收入已超过标准"}
    )
    enrolled.refresh_from_db()
    assert enrolled.status == "terminated" and enrolled.end_month == dt.date(2026, 9, 1)


def test_income_change_decreases_from_the_stated_month(enrolled, people, staff):
    head = enrolled.household.memberships.get(relation="head").person
    record_add(
        actor=staff["caseworker_a"],
        household=enrolled.household,
        kind="incomes",
        data={"person": head.pk, "kind": "pension", "monthly": "150.00"},
    )
    r = change_report_record(
        actor=people["caseworker_a"],
        enrolment=enrolled,
        kind="income",
        effective_month=dt.date(2026, 6, 15),
        details="户主领取养老金",
        on=dt.date(2026, 6, 10),
    )
    enrolled.refresh_from_db()
    assert r.outcome == "decrease" and r.effective_month == dt.date(2026, 6, 1)
    assert enrolled.monthly_amount == Decimal("90.00")  # (230 − 200) × 3
    history = list(enrolled.changes.values_list("kind", "from_month", "new_amount"))
    assert history == [
        ("start", dt.date(2026, 4, 1), Decimal("240.00")),
        ("decrease", dt.date(2026, 6, 1), Decimal("90.00")),
    ]


def test_death_report_leads_to_review_within_three_months_and_termination(enrolled, people, staff):
    # the only earner dies; with the household re-evaluated the family still qualifies, a review is brought forward
    wife = Person.objects.get(name="李秀英")
    person_update(actor=staff["caseworker_a"], person=wife, data={"deceased": True})
    change_report_record(
        actor=people["caseworker_a"],
        enrolment=enrolled,
        kind="death",
        effective_month=dt.date(2026, 5, 1),
        details="配偶去世",
        on=dt.date(2026, 5, 10),
    )
    enrolled.refresh_from_db()
    assert enrolled.status == "active" and enrolled.next_review_due == dt.date(2026, 7, 31)
    assert dynamic_management_run(on=dt.date(2026, 7, 31))["reviews_opened"] == 1
    review = walk(Case.objects.get(kind="review"), people, on=dt.date(2026, 7, 31), until="county_review")
    case_move(
        actor=people["approver"],
        case=review,
        move="refuse",
        on=review.notice_end,
        data={"reason": "家庭情况变化，经复核不再符合"},
    )
    enrolled.refresh_from_db()
    assert enrolled.status == "terminated"
    assert enrolled.changes.last().kind == "terminate"


def test_employment_gives_gradual_exit_then_termination(enrolled, people, staff):
    head = enrolled.household.memberships.get(relation="head").person
    record_add(
        actor=staff["caseworker_a"],
        household=enrolled.household,
        kind="incomes",
        data={"person": head.pk, "kind": "wage", "monthly": "3000.00"},
    )
    r = change_report_record(
        actor=people["caseworker_a"],
        enrolment=enrolled,
        kind="employment",
        effective_month=dt.date(2026, 6, 1),
        details="户主就业",
        on=dt.date(2026, 6, 3),
    )
    enrolled.refresh_from_db()
    assert r.outcome == "gradual_exit" and enrolled.status == "gradual_exit"
    assert enrolled.monthly_amount == Decimal("240.00")  # kept during the gradual exit
    assert enrolled.gradual_exit_until == dt.date(2026, 11, 1)  # 6 months: June … November
    assert dynamic_management_run(on=dt.date(2026, 11, 30))["gradual_exits_ended"] == 0
    assert dynamic_management_run(on=dt.date(2026, 12, 1))["gradual_exits_ended"] == 1
    enrolled.refresh_from_db()
    assert enrolled.status == "terminated" and enrolled.end_month == dt.date(2026, 11, 1)


def test_income_rise_without_employment_terminates_at_once(enrolled, people, staff):
    record_add(
        actor=staff["caseworker_a"],
        household=enrolled.household,
        kind="incomes",
        data={"kind": "property", "monthly": "3000.00"},
    )
    r = change_report_record(
        actor=people["caseworker_a"],
        enrolment=enrolled,
        kind="income",
        effective_month=dt.date(2026, 6, 1),
        details="出租房屋",
        on=dt.date(2026, 6, 3),
    )
    enrolled.refresh_from_db()
    assert r.outcome == "terminate" and enrolled.status == "terminated" and enrolled.end_month == dt.date(2026, 5, 1)


def test_suspension_and_resumption(enrolled, people):
    change_report_record(
        actor=people["caseworker_a"],
        enrolment=enrolled,
        kind="whereabouts",
        effective_month=dt.date(2026, 6, 1),
        details="全家外出下落不明",
        on=dt.date(2026, 6, 3),
    )
    enrolled.refresh_from_db()
    assert enrolled.status == "suspended"
    r = change_report_record(
        actor=people["caseworker_a"],
        enrolment=enrolled,
        kind="resume",
        effective_month=dt.date(2026, 8, 1),
        details="已返回",
        on=dt.date(2026, 8, 2),
    )
    enrolled.refresh_from_db()
    assert r.outcome == "resume" and enrolled.status == "active"


def test_fraud_terminates_and_marks_overpayment(enrolled, people):
    change_report_record(
        actor=people["caseworker_a"],
        enrolment=enrolled,
        kind="fraud",
        effective_month=dt.date(2026, 7, 1),
        details="隐瞒经营收入",
        overpaid=Decimal("720.00"),
        on=dt.date(2026, 7, 2),
    )
    enrolled.refresh_from_db()
    o = Overpayment.objects.get()
    assert enrolled.status == "terminated" and o.amount == Decimal("720.00") and o.fraud and o.status == "open"
    with pytest.raises(Exception):
        change_report_record(
            actor=people["caseworker_a"],
            enrolment=enrolled,
            kind="income",
            effective_month=dt.date(2026, 8, 1),
            details="x",
            on=dt.date(2026, 8, 2),
        )


def test_change_report_validation(enrolled, people):
    with pytest.raises(ApplicationError) as info:
        change_report_record(
            actor=people["caseworker_a"],
            enrolment=enrolled,
            kind="income",
            effective_month=dt.date(2026, 1, 1),
            details="x",
            on=dt.date(2026, 6, 2),
        )
    assert info.value.field == "effective_month"
    with pytest.raises(ApplicationError) as info:
        change_report_record(
            actor=people["caseworker_a"],
            enrolment=enrolled,
            kind="income",
            effective_month=dt.date(2026, 6, 1),
            details=" ",
            on=dt.date(2026, 6, 2),
        )
    assert info.value.field == "details"
    assert EnrolmentChange.objects.filter(enrolment=enrolled).count() == 1


def test_termination_is_publicly_noticed(enrolled, people, staff, client_for):
    from django.utils import timezone

    record_add(
        actor=staff["caseworker_a"],
        household=enrolled.household,
        kind="incomes",
        data={"kind": "property", "monthly": "3000.00"},
    )
    change_report_record(
        actor=people["caseworker_a"],
        enrolment=enrolled,
        kind="income",
        effective_month=dt.date(2026, 6, 1),
        details="出租房屋",
        on=dt.date(2026, 6, 3),
    )
    enrolled.refresh_from_db()
    today = timezone.localdate()
    assert enrolled.termination_notice_start == today
    assert enrolled.termination_notice_end == today + dt.timedelta(days=7)
    r = client_for(people["caseworker_a"]).get("/enrolments/termination-notice.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert enrolled.household.memberships.get(relation="head").person.id_number.encode() not in r.content
