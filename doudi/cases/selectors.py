"""Case reads, always area-scoped: queues per person (mine, due soon, overdue) and dashboard counts, the notice
lists, what the policy engine would decide for a case (the preview), and the materials still missing."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from doudi.accounts import scope
from doudi.accounts.models import Staff
from doudi.accounts.roles import Perm, roles_with
from doudi.core.errors import ApplicationError
from doudi.core.workdays import WorkCalendar, add_working_days
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.registry_input import household_input
from doudi.registry.models import Income, Person

from . import workflow as wf
from .models import Application, Case, ChangeKind, EnrolmentChange, EnrolmentStatus, ReviewCategory
from .moves import mine_q

QUEUES = ("mine", "due_soon", "overdue")


def cases_visible(user):
    return scope.visible(user, "cases.Case")


def surveyors_for(case: Case):
    """Active staff of the case's township whose role may be named a surveyor of a household survey."""
    return Staff.objects.filter(
        area__code__startswith=case.area_code[:9], is_active=True, role__in=roles_with(Perm.CASE_SURVEY)
    )


def enrolments_visible(user):
    return scope.visible(user, "cases.Enrolment")


def materials_missing(application: Application) -> list[str]:
    """The required materials not yet handed in, in the order of the checklist [D21 §10]."""
    return [k for k in wf.REQUIRED_MATERIALS if k not in application.materials]


def case_decision(case: Case, on: dt.date):
    """The policy engine's decision for the case's household (for tekun: the applicant) on ``on``."""
    h = household_input(case.household)
    if case.programme_id == "tekun":
        # the support mode the case asks for; a review case keeps the enrolment's
        mode = case.support_mode or (case.enrolment.support_mode if case.enrolment_id else "")
        for member in h.members:
            member.applicant = member.person_id == case.applicant_id
            if member.applicant and mode:
                member.support_mode = mode
    return evaluate(case.programme_id, h, on)


def review_category(household, on: dt.date) -> str:
    """Yearly review for stable households; every 6 months with irregular income or a member able to work
    [D21 §31]."""
    working_age = Person.objects.filter(
        memberships__household=household,
        memberships__end_date__isnull=True,
        labour_capacity__in=["full", "partial"],
        student=False,
        birth_date__gt=dt.date(on.year - 60, on.month, 1),
        birth_date__lte=dt.date(on.year - 16, on.month, 1),
    ).exists()
    irregular = Income.objects.filter(household=household, kind__in=["business", "gift", "compensation"]).exists()
    return ReviewCategory.IRREGULAR if working_age or irregular else ReviewCategory.STABLE


# ---- queues and counts ----------------------------------------------------------------------------------------
def _overdue(today):
    return Q(step_due__lt=today) | Q(total_due__lt=today)


def queue_q(user, queue: str, *, today: dt.date, soon: dt.date) -> Q:
    """The condition of one queue. mine: where this person can make a move (other than withdraw or extend);
    overdue: past a step's or the whole procedure's time limit; due soon: not overdue, and a step or the whole
    case due by ``soon`` (3 working days)."""
    if queue == "mine":
        return mine_q(user)
    if queue == "overdue":
        return _overdue(today)
    if queue == "due_soon":
        return (Q(step_due__lte=soon) | Q(total_due__lte=soon)) & ~_overdue(today)
    raise ValueError(queue)


def case_queues(user, *, today: dt.date | None = None) -> dict[str, QuerySet]:
    """The three queues of open cases as querysets (nothing is read until asked: a page counts each and lists
    one), ordered by the nearest time limit. Each is one query, whatever the number of cases."""
    today = today or timezone.localdate()
    soon = add_working_days(today, wf.DUE_SOON_WORKING_DAYS, WorkCalendar.load()).due
    open_cases = (
        cases_visible(user)
        .filter(state__in=wf.OPEN_STATES)
        .select_related("programme", "household", "applicant")
        .order_by("step_due", "total_due", "id")
    )
    return {name: open_cases.filter(queue_q(user, name, today=today, soon=soon)) for name in QUEUES}


def case_counts(user, *, today: dt.date | None = None) -> dict:
    """Counts by state and by township, with overdue counts, for the dashboard."""
    today = today or timezone.localdate()
    qs = cases_visible(user)
    by_state = dict(qs.order_by().values_list("state").annotate(n=Count("id")))
    rows = (
        qs.filter(state__in=wf.OPEN_STATES)
        .order_by()
        .values("area_code")
        .annotate(open=Count("id"), overdue=Count("id", filter=_overdue(today)))
    )
    by_township: dict[str, dict] = {}
    overdue = 0
    for r in rows:
        t = by_township.setdefault(r["area_code"][:9] + "000", {"open": 0, "overdue": 0})
        t["open"] += r["open"]
        t["overdue"] += r["overdue"]
        overdue += r["overdue"]
    return {
        "by_state": [(code, wf.STATES[code].zh, by_state.get(code, 0)) for code in wf.STATES],
        "by_township": by_township,
        "overdue": overdue,
        "total": sum(by_state.values()),  # cases (each counted once, in its one state), not states
    }


# ---- notice lists ---------------------------------------------------------------------------------------------
def _area_prefix(user, area_code: str | None) -> tuple:
    """The area (default: the user's own) and its code prefix; outside the user's scope → NotFound."""
    node = scope.area_get(user, area_code or user.area_id)
    return node, node.prefix


def cases_in_notice(user, area_code: str | None = None):
    """The cases in public notice in an area, with the amount each notice proposed (recorded when the notice
    started, ``Case.notice_amount``): one query."""
    node, prefix = _area_prefix(user, area_code)
    cases = list(
        cases_visible(user)
        .filter(state=wf.CaseState.NOTICING, area_code__startswith=prefix)
        .select_related("applicant", "household", "programme")
        .order_by("area_code", "id")
    )
    for c in cases:
        if c.notice_amount is None:
            # only a notice started before its amount was recorded (cases migration 0003), or one the engine
            # could not decide: computed as of the notice's first day
            c.notice_amount = proposed_amount(c, c.notice_start or timezone.localdate())
    return node, cases


def proposed_amount(case: Case, on: dt.date):
    """The monthly amount the engine proposes for the case on ``on`` (None when it cannot decide)."""
    try:
        return case_decision(case, on).monthly_amount
    except ApplicationError:
        return None


def terminations_in_notice(user, area_code: str | None = None, *, today: dt.date | None = None):
    """Enrolments whose termination is in public notice on ``today``, each with the reason of its termination
    (``termination_reason``): one query."""
    today = today or timezone.localdate()
    node, prefix = _area_prefix(user, area_code)
    reason = EnrolmentChange.objects.filter(enrolment=OuterRef("pk"), kind=ChangeKind.TERMINATE).order_by("-id")
    return node, list(
        enrolments_visible(user)
        .filter(status=EnrolmentStatus.TERMINATED, termination_notice_end__gte=today, area_code__startswith=prefix)
        .select_related("programme", "household", "person")
        .annotate(termination_reason=Subquery(reason.values("reason")[:1]))
        .order_by("area_code", "id")
    )
