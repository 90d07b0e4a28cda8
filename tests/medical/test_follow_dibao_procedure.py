"""The disability living subsidy follows dibao when dibao's own procedure starts or ends it (domain.md §5c, issue
15), not only at a change report: a household approved through the whole procedure has its disabled member's living
subsidy started from dibao's first month, in the same transaction; a review refusing to continue dibao stops it from
the first month off dibao. A household without a disabled member gets nothing."""

import datetime as dt
from decimal import Decimal

from doudi.audit.models import AuditEvent
from doudi.cases.actions import case_move, dynamic_management_run
from doudi.cases.models import Case, Enrolment, EnrolmentStatus
from doudi.registry.actions import person_update

from ..cases.conftest import apply, people, poor_household, walk  # noqa: F401


def test_procedure_start_and_termination_take_the_living_subsidy_along(apply, people, staff, poor_household):
    head = poor_household.memberships.get(relation="head").person
    person_update(actor=staff["caseworker_a"], person=head, data={"disability_kind": "physical", "disability_grade": 3})
    case = walk(apply().cases.get(), people)
    dibao = Enrolment.objects.get(case=case)
    living = Enrolment.objects.get(programme_id="disability", person=head)
    assert (living.start_month, living.monthly_amount, living.status) == (
        dibao.start_month,
        Decimal("50.00"),  # grade 3: the living subsidy only, as a dibao member
        EnrolmentStatus.ACTIVE,
    )
    assert AuditEvent.objects.filter(action="medical.disability_follow", household_id=poor_household.pk).exists()

    dynamic_management_run(on=dt.date(2026, 9, 1))
    review = walk(Case.objects.get(kind="review"), people, on=dt.date(2026, 9, 1), until="county_review")
    case_move(
        actor=people["approver"], case=review, move="refuse", on=review.notice_end, data={"reason": "收入已超过标准"}
    )
    dibao.refresh_from_db()
    living.refresh_from_db()
    assert dibao.end_month == dt.date(2026, 9, 1)
    assert (living.status, living.end_month) == (EnrolmentStatus.TERMINATED, dibao.end_month)


def test_a_household_without_a_disabled_member_gets_no_subsidy(apply, people):
    case = walk(apply().cases.get(), people)
    assert Enrolment.objects.filter(case=case).exists()
    assert not Enrolment.objects.filter(programme_id="disability").exists()
