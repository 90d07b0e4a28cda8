"""The daily job is set-based; here it is checked against the rule written out one enrolment at a time (what the
job did before it became a few statements), on enrolments of every status, both programmes, three areas, with and
without open reviews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from doudi.audit.models import AuditEvent
from doudi.cases import workflow as wf
from doudi.cases.actions import dynamic_management_run
from doudi.cases.deadlines import case_deadlines_set
from doudi.cases.models import (
    Case,
    CaseEvent,
    CaseKind,
    ChangeKind,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    Notification,
)
from doudi.core.errors import PermissionDenied
from doudi.core.money import add_months, month_start
from doudi.core.workdays import WorkCalendar

from ..conftest import member
from .conftest import D

ON = dt.date(2026, 9, 1)
AREAS = ["511425101201", "511425101001", "511425102201"]
STATUSES = [EnrolmentStatus.ACTIVE, EnrolmentStatus.GRADUAL_EXIT, EnrolmentStatus.SUSPENDED, EnrolmentStatus.TERMINATED]


@pytest.fixture
def enrolments(register, people):
    """48 enrolments: every combination of area, programme, status and review date, some gradual exits ending
    (in different months), some with a review already open or closed."""
    out = []
    makers = [people["caseworker_a"], people["caseworker_a2"], people["caseworker_b"]]
    i = 0
    for area in AREAS:
        for programme in ("dibao", "tekun"):
            for status in STATUSES:
                for review_due in (ON - dt.timedelta(days=30), ON + dt.timedelta(days=1)):
                    h = register(
                        actor=people["caseworker_a" if area.startswith("511425101") else "caseworker_b"],
                        area=area,
                        members=[member(f"户主{i}", "1960-01-01", 500 + i, "head")],
                    )
                    head = h.memberships.get().person
                    case = Case.objects.create(
                        programme_id=programme,
                        household=h,
                        applicant=head,
                        area_code=area,
                        state=wf.CaseState.APPROVED,
                        created_by=makers[i % 3],
                    )
                    until = [dt.date(2026, 5, 1), dt.date(2026, 8, 1), dt.date(2026, 9, 1)][i % 3]
                    e = Enrolment.objects.create(
                        programme_id=programme,
                        household=h,
                        person=head if programme == "tekun" else None,
                        case=case,
                        area_code=area,
                        status=status,
                        start_month=dt.date(2026, 1, 1),
                        monthly_amount=Decimal("100.00") + i,
                        review_category=["stable", "irregular"][i % 2],
                        next_review_due=review_due,
                        gradual_exit_until=until if status == EnrolmentStatus.GRADUAL_EXIT else None,
                    )
                    if i % 5 == 0:  # a review already open: never a second one
                        Case.objects.create(
                            kind=CaseKind.REVIEW,
                            programme_id=programme,
                            household=h,
                            applicant=head,
                            enrolment=e,
                            area_code=area,
                            state=wf.CaseState.SURVEYED,
                            created_by=makers[0],
                        )
                    if i % 7 == 0:  # an earlier review, closed
                        Case.objects.create(
                            kind=CaseKind.REVIEW,
                            programme_id=programme,
                            household=h,
                            applicant=head,
                            enrolment=e,
                            area_code=area,
                            state=wf.CaseState.APPROVED,
                            created_by=makers[0],
                        )
                    out.append(e)
                    i += 1
    return out


def zh_label(display) -> str:
    with translation.override("zh-hans"):
        return str(display())


def en_label(display) -> str:
    with translation.override("en"):
        return str(display())


def expected(enrolments, on, prefix=""):
    """The rule, one enrolment at a time."""
    ending, reviews = {}, {}
    cal = WorkCalendar.load()
    for e in enrolments:
        if not e.area_code.startswith(prefix):
            continue
        status = e.status
        if status == EnrolmentStatus.GRADUAL_EXIT and e.gradual_exit_until < month_start(on):
            ending[e.pk] = (add_months(e.gradual_exit_until, 1), e.monthly_amount, e.gradual_exit_until)
            status = EnrolmentStatus.TERMINATED
        has_open = Case.objects.filter(enrolment=e, state__in=wf.OPEN_STATES).exists()
        if (
            status in (EnrolmentStatus.ACTIVE, EnrolmentStatus.GRADUAL_EXIT)
            and e.next_review_due <= on
            and not has_open
        ):
            case = Case(programme_id=e.programme_id, state=wf.CaseState.ACCEPTED, accepted_on=on)
            case_deadlines_set(case, on, cal)
            reviews[e.pk] = (
                e.programme_id,
                e.household_id,
                e.case.applicant_id,
                e.area_code,
                e.case.created_by_id,
                case.step_due,
                case.step_due_complete,
                case.total_due,
                case.total_due_complete,
                f"复核到期（{zh_label(e.get_review_category_display)}）",  # Chinese whatever the language
            )
    return ending, reviews


def check(result, enrolments, ending, reviews, on):
    assert result["gradual_exits_ended"] == len(ending) and result["reviews_opened"] == len(reviews)
    batch = result["batch_id"]
    changes = {c.enrolment_id: c for c in EnrolmentChange.objects.filter(batch_id=batch)}
    assert set(changes) == set(ending)
    for pk, (from_month, old, until) in ending.items():
        c, e = changes[pk], Enrolment.objects.get(pk=pk)
        assert (c.kind, c.from_month, c.old_amount, c.new_amount, c.reason) == (
            ChangeKind.TERMINATE,
            from_month,
            old,
            Decimal("0.00"),
            "渐退期满",
        )
        assert (e.status, e.end_month, e.monthly_amount) == (EnrolmentStatus.TERMINATED, until, Decimal("0.00"))
        assert (e.termination_notice_start, e.termination_notice_end) == (on, on + dt.timedelta(days=7))
    messages = sorted(Notification.objects.filter(batch_id=batch).values_list("household_id", "message"))
    assert messages == sorted(
        (
            e.household_id,
            f"您家的{e.programme.name_zh}自{ending[e.pk][0]:%Y年%m月}起终止，终止情况在村（社区）公示7天。原因：渐退期满",
        )
        for e in enrolments
        if e.pk in ending
    )
    opened = {c.enrolment_id: c for c in Case.objects.filter(batch_id=batch)}
    assert set(opened) == set(reviews)
    for pk, want in reviews.items():
        c = opened[pk]
        event = CaseEvent.objects.get(case=c)
        assert (
            c.programme_id,
            c.household_id,
            c.applicant_id,
            c.area_code,
            c.created_by_id,
            c.step_due,
            c.step_due_complete,
            c.total_due,
            c.total_due_complete,
            event.note,
        ) == want
        assert (c.kind, c.state, c.accepted_on, c.state_since, c.version) == (
            CaseKind.REVIEW,
            wf.CaseState.ACCEPTED,
            on,
            on,
            0,
        )
        assert (event.move, event.on, event.actor_id, event.from_state, event.to_state, event.data) == (
            "review_opened",
            on,
            c.created_by_id,
            "",
            "accepted",
            {"en": f"Review due ({en_label(Enrolment.objects.get(pk=pk).get_review_category_display)})"},
        )
    audit = AuditEvent.objects.get(batch_id=batch)
    assert audit.action == "cases.daily" and audit.kind == "batch"
    assert audit.new["reviews_opened"] == len(reviews) and audit.new["gradual_exits_ended"] == len(ending)


def test_daily_job_matches_the_rule_one_enrolment_at_a_time(enrolments):
    ending, reviews = expected(enrolments, ON)
    assert len(ending) >= 6 and len(reviews) >= 6  # the data exercise both halves
    # both programmes, whose first step has different time limits (3 and 15 working days)
    assert {r[0] for r in reviews.values()} == {"dibao", "tekun"} and len({r[5] for r in reviews.values()}) == 2
    check(dynamic_management_run(on=ON), enrolments, ending, reviews, ON)
    # a rerun opens and ends nothing more
    again = dynamic_management_run(on=ON)
    assert again["reviews_opened"] == 0 and again["gradual_exits_ended"] == 0
    assert AuditEvent.objects.filter(action="cases.daily").count() == 2
    # the next day, only what has fallen due since
    now = list(Enrolment.objects.select_related("case", "programme"))
    ending, reviews = expected(now, ON + dt.timedelta(days=1))
    assert not ending and len(reviews) >= 3
    check(dynamic_management_run(on=ON + dt.timedelta(days=1)), now, ending, reviews, ON + dt.timedelta(days=1))


def test_daily_job_for_one_township_touches_only_it(enrolments, people):
    ending, reviews = expected(enrolments, ON, prefix="511425101")
    result = dynamic_management_run(actor=people["caseworker_a"], on=ON)
    check(result, enrolments, ending, reviews, ON)
    assert not Case.objects.filter(batch_id=result["batch_id"], area_code__startswith="511425102").exists()
    assert AuditEvent.objects.get(batch_id=result["batch_id"]).area_code == "511425101000"
    # township B's run then does B's share
    ending_b, reviews_b = expected(list(Enrolment.objects.select_related("case")), ON, prefix="511425102")
    check(dynamic_management_run(actor=people["caseworker_b"], on=ON), enrolments, ending_b, reviews_b, ON)


def test_daily_job_needs_its_permission(enrolments, people):
    with pytest.raises(PermissionDenied):
        dynamic_management_run(actor=people["approver"], on=ON)
    assert not Case.objects.filter(kind=CaseKind.REVIEW).exclude(batch_id="").exists()


def test_one_open_review_per_enrolment_is_a_database_rule(enrolments):
    dynamic_management_run(on=ON)
    review = Case.objects.exclude(batch_id="").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            kind=CaseKind.REVIEW,
            programme_id=review.programme_id,
            household=review.household,
            applicant=review.applicant,
            enrolment=review.enrolment,
            area_code=review.area_code,
            state=wf.CaseState.DRAFT,
            created_by=review.created_by,
        )
    # once it is closed, the next review may open
    Case.objects.filter(pk=review.pk).update(state=wf.CaseState.APPROVED)
    Case.objects.create(
        kind=CaseKind.REVIEW,
        programme_id=review.programme_id,
        household=review.household,
        applicant=review.applicant,
        enrolment=review.enrolment,
        area_code=review.area_code,
        state=wf.CaseState.ACCEPTED,
        created_by=review.created_by,
        state_since=D,
    )
