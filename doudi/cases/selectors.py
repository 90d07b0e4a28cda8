"""Case reads, always area-scoped: queues per person (mine, due soon, overdue) and dashboard counts, the notice
lists, what the policy engine would decide for a case (the preview), and the materials still missing."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doudi.accounts import scope
from doudi.accounts.models import Staff
from doudi.accounts.roles import Perm, roles_with
from doudi.areas.models import Area
from doudi.core.errors import ApplicationError
from doudi.core.fields import sealed_fields
from doudi.core.money import add_months, month_start
from doudi.core.validation import text_clean
from doudi.core.workdays import WorkCalendar, add_working_days
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.registry_input import household_input
from doudi.programmes.shapes import ONE_OFF_PROGRAMMES, SHAPES
from doudi.registry.models import Household, Income, Membership, Person
from doudi.registry.selectors import household_search

from . import workflow as wf
from .models import (
    CLOSED_STATUSES,
    LIVE_STATUSES,
    ONE_OFF_STATES,
    Application,
    Case,
    CaseKind,
    ChangeKind,
    ChangeReport,
    Document,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    HomeVisit,
    Overpayment,
    ReportKind,
    ReviewCategory,
)
from .moves import NOT_QUEUED, OWN_PROCEDURE_PROGRAMMES, mine_q

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


def label_one_offs(enrolments, *, also: set[int] = frozenset()) -> list:
    """Each enrolment with ``once`` (its programme pays once, or its key is in ``also``: no monthly amount, no
    review) and ``status_label`` in words that fit it (待发放 rather than 在保 for a one-off payment not yet paid).
    The pages call ``benefits.selectors.label_one_offs``, which adds the veterans' one-off grants."""
    out = list(enrolments)
    for e in out:
        e.once = e.programme_id in ONE_OFF_PROGRAMMES or e.pk in also
        e.status_label = ONE_OFF_STATES.get(e.status, e.get_status_display()) if e.once else e.get_status_display()
    return out


def enrolment_search(user, *, status: str = "", programme: str = "", area: str = "", q: str = "") -> QuerySet:
    """Enrolments in the account's area, filtered by status, programme, area (a township or village and all below
    it) and a name, full ID number or its last 4 characters (as the household search finds them). A status or
    programme that does not exist, or an area outside the account's scope, matches nothing; newest first."""
    qs = enrolments_visible(user)
    status = text_clean(status, field="status", zh_label="状态", en_label="Status", max_length=16)
    programme = text_clean(programme, field="programme", zh_label="项目", en_label="Programme", max_length=16)
    area = text_clean(area, field="area", zh_label="区划", en_label="Area", max_length=12)
    if status:
        qs = qs.filter(status=status)
    if programme:
        qs = qs.filter(programme_id=programme)
    if area:
        node = Area.objects.filter(code=area).first()
        qs = qs.filter(area_code__startswith=node.prefix) if node else qs.none()
    if q.strip():
        qs = qs.filter(household__in=household_search(user, q=q).values("pk"))
    return qs.order_by("-id")


def materials_missing(application: Application) -> list[str]:
    """The required materials not yet handed in, in the order of the checklist [D21 §10]."""
    return [k for k in wf.REQUIRED_MATERIALS if k not in application.materials]


def case_decision(case: Case, on: dt.date):
    """The policy engine's decision for the case's household on ``on``. A programme for one person (its shape's
    ``unit``: tekun) is decided for the case's applicant, with what its shape says the rules read besides the
    registry: the support mode the case asks for (``support_modes``; a review case keeps the enrolment's) and the
    member fields set from the applicant's other programmes (``flags_from_enrolments``: tekun's
    ``orphan_allowance`` when the applicant takes the children's allowance, domain.md §5b)."""
    h = household_input(case.household)
    shape = SHAPES[case.programme_id]
    if shape.unit == "person":
        mode = ""
        if shape.support_modes:
            mode = case.support_mode or (case.enrolment.support_mode if case.enrolment_id else "")
        receiving = set()
        if shape.flags_from_enrolments:
            receiving = set(
                Enrolment.objects.filter(
                    programme_id__in=[p for _f, p in shape.flags_from_enrolments],
                    person_id=case.applicant_id,
                    status__in=LIVE_STATUSES,
                ).values_list("programme_id", flat=True)
            )
        for member in h.members:
            member.applicant = member.person_id == case.applicant_id
            for flag, programme in shape.flags_from_enrolments:
                setattr(member, flag, member.applicant and programme in receiving)
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
        "by_state": [(code, wf.STATES[code].label, by_state.get(code, 0)) for code in wf.STATES],
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


# ---- the home page: each person's day -------------------------------------------------------------------------
HOME_LIMIT = 8  # lines listed per section of the home page (the counts are of all)
# The lists show names, never a sealed column of the family or the person: not read, so nothing is decrypted
# (a list of 8-300 rows otherwise opens every row's ID number, phone, account, diagnosis and disability card).
UNSEALED_CASES = (*sealed_fields(Household, "household"), *sealed_fields(Person, "applicant"))
UNSEALED_ENROLMENTS = (*sealed_fields(Household, "household"), *sealed_fields(Person, "person"))
WEEK_WORKING_DAYS = 5  # "due this week": within five working days
REVIEW_AHEAD = dt.timedelta(days=30)  # reviews listed from a month before they fall due


def _queued_moves(user) -> list[wf.Move]:
    """The moves that put a case in this person's queue (not withdrawing or extending)."""
    return [m for m in wf.MOVES.values() if m.code not in NOT_QUEUED and user.has_role_perm(m.perm)]


def home_cases(user, *, today: dt.date, limit: int = HOME_LIMIT) -> dict:
    """The cases on a person's home page, in a fixed number of queries whatever the county's size:

    - ``urgent``: cases where the person can make the next move, past a time limit or due within five working days;
    - ``objections``: objections received in public notice (the township re-surveys or holds a democratic
      appraisal) and cases with a complaint or a separately registered relative that still need the county's
      home visit [D21 §11, §20, §22];
    - ``groups``: the person's other cases grouped by their state, i.e. by the next step, nearest time limit first.

    A person who makes no move of the procedure but records applications (a village cadre) follows the open cases
    of their area instead (``following``)."""
    open_cases = cases_visible(user).filter(state__in=wf.OPEN_STATES)
    moves = _queued_moves(user)
    following = not moves and user.has_role_perm(Perm.CASE_CREATE)
    if moves:
        mine = open_cases.filter(mine_q(user))
    elif following:
        # a programme with its own procedure (a child's application: township, then county) has no step the
        # village follows, and dibao's state names would misname its steps
        mine = open_cases.exclude(programme_id__in=OWN_PROCEDURE_PROGRAMMES)
    else:
        return {
            "urgent": [],
            "urgent_count": 0,
            "objections": [],
            "objection_count": 0,
            "groups": [],
            "following": False,
        }
    cal = WorkCalendar.load()
    week = add_working_days(today, WEEK_WORKING_DAYS, cal).due
    order = [F("step_due").asc(nulls_last=True), F("total_due").asc(nulls_last=True), "id"]
    related = ("programme", "household", "applicant")
    due_q = Q(step_due__lte=week) | Q(total_due__lte=week)
    urgent = mine.filter(due_q)
    objection_q = Q(state=wf.CaseState.OBJECTED)
    if user.has_role_perm(Perm.CASE_HOME_VISIT):
        objection_q |= (
            Q(state=wf.CaseState.COUNTY_REVIEW)
            & (Q(complaint=True) | Q(flagged=True))
            & ~Exists(HomeVisit.objects.filter(case=OuterRef("pk")))
        )
    objections = mine.filter(objection_q)
    rest = mine.exclude(objection_q)
    # the three counts (by state of the rest, urgent, objections) in one grouped query
    counted = (
        mine.order_by()
        .values("state")
        .annotate(
            n=Count("id", filter=~objection_q),
            urgent=Count("id", filter=due_q),
            objections=Count("id", filter=objection_q),
        )
    )
    counts, urgent_count, objection_count = {}, 0, 0
    for row in counted:
        counts[row["state"]] = row["n"]
        urgent_count += row["urgent"]
        objection_count += row["objections"]
    ranked = (
        rest.annotate(rank=Window(RowNumber(), partition_by=[F("state")], order_by=order))
        .filter(rank__lte=limit)
        .select_related(*related)
        .defer(*UNSEALED_CASES)
        .order_by(*order)
    )
    by_state: dict[str, list] = {}
    for c in ranked:
        by_state.setdefault(c.state, []).append(c)
    groups = [
        {
            "state": code,
            "count": counts[code],
            "moves": [m for m in moves if code in m.sources],
            "cases": by_state.get(code, []),
        }
        for code in wf.OPEN_STATES
        if counts.get(code)
    ]
    return {
        "urgent": list(urgent.select_related(*related).defer(*UNSEALED_CASES).order_by(*order)[:limit]),
        "urgent_count": urgent_count,
        "objections": list(objections.select_related(*related).defer(*UNSEALED_CASES).order_by(*order)[:limit]),
        "objection_count": objection_count,
        "groups": groups,
        "group_total": sum(g["count"] for g in groups),
        "following": following,
        "week": week,
    }


def applications_incomplete(user, *, limit: int = HOME_LIMIT) -> list[Application]:
    """Applications not yet accepted whose materials are incomplete (一次性告知: the applicant is told once what
    is missing), oldest first, each with ``missing``. Applications at the window are few; at most 500 are read."""
    if not user.has_role_perm(Perm.CASE_CREATE):
        return []
    apps = (
        scope.visible(user, "cases.Application")
        .filter(cases__state=wf.CaseState.DRAFT)
        .select_related("household", "applicant")
        .defer(*UNSEALED_CASES)
        .distinct()
        .order_by("received_on", "id")[:500]
    )
    out = []
    for a in apps:
        a.missing = [wf.REQUIRED_MATERIALS[k] for k in materials_missing(a)]
        if a.missing:
            out.append(a)
    return out[:limit]


def _review_open():
    return Case.objects.filter(enrolment=OuterRef("pk"), kind=CaseKind.REVIEW, state__in=wf.OPEN_STATES)


def reviews_due(user, *, today: dt.date, limit: int = HOME_LIMIT) -> dict:
    """Enrolments whose review falls due within a month and for which no review case is open yet (the daily job
    opens one on the day) [D21 §31]. ``late``: due already with no review open, i.e. the daily job has not run."""
    if not (user.has_role_perm(Perm.CASE_CREATE) or user.has_role_perm(Perm.CASES_DAILY)):
        return {"items": [], "count": 0, "late": 0}
    qs = (
        enrolments_visible(user)
        .exclude(status__in=CLOSED_STATUSES)
        .filter(next_review_due__lte=today + REVIEW_AHEAD)
        .filter(~Exists(_review_open()))
    )
    agg = qs.aggregate(n=Count("id"), late=Count("id", filter=Q(next_review_due__lte=today)))
    items = list(
        qs.select_related("programme", "household", "person")
        .defer(*UNSEALED_ENROLMENTS)
        .order_by("next_review_due", "id")[:limit]
    )
    return {"items": items, "count": agg["n"], "late": agg["late"]}


class Attention(models.TextChoices):
    """Why an enrolment needs someone to record a change (a change report on the enrolment's page)."""

    SUSPENDED = "suspended", _("已暂停：核实下落后恢复或终止")
    EXIT_ENDING = "exit_ending", _("渐退期即将届满")
    DEATH_UNREPORTED = "death_unreported", _("登记有成员死亡，尚未报告变化")


def changes_to_act(user, *, today: dt.date, limit: int = HOME_LIMIT) -> dict:
    """Enrolments on which a change is to be recorded: suspended ones (whereabouts unknown) to resume or end,
    gradual exits ending by next month's end, and households with a member registered as dead whose enrolment has
    no death report yet [D21 §28, §31, §32]. One query for the counts, one for the lines."""
    if not user.has_role_perm(Perm.CASE_CREATE):
        return {"items": [], "count": 0}
    exit_by = add_months(month_start(today), 2) - dt.timedelta(days=1)
    # households with a member registered as dead: few, found once (a hashed list), not asked per enrolment
    dead = Membership.objects.filter(end_date__isnull=True, person__deceased=True).values("household_id")
    reported = ChangeReport.objects.filter(enrolment=OuterRef("pk"), kind=ReportKind.DEATH)
    conditions = {
        Attention.SUSPENDED: Q(status=EnrolmentStatus.SUSPENDED),
        Attention.EXIT_ENDING: Q(status=EnrolmentStatus.GRADUAL_EXIT, gradual_exit_until__lte=exit_by),
        Attention.DEATH_UNREPORTED: Q(household_id__in=dead) & ~Q(status__in=CLOSED_STATUSES) & Q(death_reported=False),
    }
    qs = enrolments_visible(user).annotate(death_reported=Exists(reported))
    any_q = Q(pk__in=[])
    for q in conditions.values():
        any_q |= q
    qs = qs.filter(any_q)
    why = models.Case(*[models.When(q, then=models.Value(code)) for code, q in conditions.items()])
    items = list(
        qs.annotate(why=why)
        .select_related("programme", "household", "person")
        .defer(*UNSEALED_ENROLMENTS)
        .order_by("gradual_exit_until", "id")[:limit]
    )
    for e in items:
        e.why_label = Attention(e.why).label
    return {"items": items, "count": qs.count()}


def notices_to_post(user, *, today: dt.date) -> dict:
    """How many cases and terminations are in public notice now in the person's area (the lists to post in the
    villages, printed from the notice PDFs) [D21 §20, §28]."""
    if not user.has_role_perm(Perm.CASE_CREATE):
        return {"cases": 0, "terminations": 0}
    return {
        "cases": cases_visible(user).filter(state=wf.CaseState.NOTICING).count(),
        "terminations": enrolments_visible(user)
        .filter(status=EnrolmentStatus.TERMINATED, termination_notice_end__gte=today)
        .count(),
    }


# ---- the household page: the family's whole story ---------------------------------------------------------------
def household_story(user, household) -> dict:
    """Everything the social assistance system holds about one family, as far as the person's area reaches:
    applications, every case with its decision and explanation, documents, enrolments with their amount history,
    change reports and overpayments. A fixed number of queries whatever the family's history."""
    cases = list(
        cases_visible(user)
        .filter(household=household)
        .select_related("programme", "applicant", "decided_by", "application")
        .prefetch_related(
            models.Prefetch("documents", queryset=Document.objects.select_related("uploaded_by").order_by("id"))
        )
        .order_by("-created_at", "-id")
    )
    enrolments = list(
        enrolments_visible(user)
        .filter(household=household)
        .select_related("programme", "person", "case")
        .prefetch_related(
            models.Prefetch(
                "changes", queryset=EnrolmentChange.objects.select_related("actor").order_by("from_month", "id")
            ),
            models.Prefetch(
                "reports", queryset=ChangeReport.objects.select_related("actor").order_by("-reported_on", "-id")
            ),
            models.Prefetch("overpayments", queryset=Overpayment.objects.order_by("-created_at", "-id")),
        )
        .order_by("-start_month", "-id")
    )
    applications = list(
        scope.visible(user, "cases.Application")
        .filter(household=household)
        .select_related("applicant")
        .order_by("-received_on", "-id")
    )
    return {"cases": cases, "enrolments": enrolments, "applications": applications}
