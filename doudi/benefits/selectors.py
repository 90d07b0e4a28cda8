"""Reads of temporary assistance, the hotline and the old-age allowance rosters, always area-scoped (doudi/accounts/scope.py)."""

from __future__ import annotations

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.utils.translation import gettext_lazy

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.areas.models import Area
from doudi.cases import selectors as case_selectors

from .models import (
    ElderlyRoster,
    HotlineCall,
    RosterMark,
    RosterState,
    TemporaryAssistance,
    TemporaryState,
    VeteranEntitlement,
    VeteranGrant,
    VeteranState,
)


def label_one_offs(enrolments) -> list:
    """``cases.selectors.label_one_offs`` with the veterans' one-off grants (春节慰问金…) too: each is paid once
    through the monthly programme's payroll, on an enrolment of its own (one query, only when veterans are listed)."""
    enrolments = list(enrolments)
    veterans = [e.pk for e in enrolments if e.programme_id == "veterans"]
    grants = (
        set(VeteranGrant.objects.filter(enrolment__in=veterans).values_list("enrolment_id", flat=True))
        if veterans
        else set()
    )
    return case_selectors.label_one_offs(enrolments, also=grants)


def temporary_list(user) -> QuerySet:
    """The area's temporary assistance, open paperwork first by its deadline, then the newest."""
    return (
        scope.visible(user, "benefits.TemporaryAssistance")
        .select_related("household", "applicant")
        .order_by("paperwork_done_on", "paperwork_due", "-pk")
    )


def paperwork_open(user) -> QuerySet:
    """Payments made first whose paperwork is not complete yet, by deadline."""
    return temporary_list(user).filter(state=TemporaryState.PAID_FIRST).order_by("paperwork_due", "pk")


def call_list(user) -> QuerySet:
    return scope.visible(user, "benefits.HotlineCall").select_related("taken_by")


def temporary_get(user, pk) -> TemporaryAssistance:
    return scope.get_visible(
        user,
        "benefits.TemporaryAssistance",
        pk,
        queryset=TemporaryAssistance.objects.select_related("household", "applicant", "call", "enrolment"),
    )


def call_get(user, pk) -> HotlineCall:
    return scope.get_visible(user, "benefits.HotlineCall", pk)


HOME_ROWS = 20


def temporary_home(user, *, today) -> dict:
    """The home page's temporary assistance: paperwork of payments made first (whoever handles cases), and the
    applications waiting for this person's decision — the township's reviewer those within the township's limit
    (and paying first), the county's approver those above it. Two queries per list (the rows and the count)."""
    out = {"paperwork": [], "paperwork_count": 0, "decide": [], "decide_count": 0, "overdue": False}
    if not user.has_role_perm(Perm.CASE_VIEW):
        return out
    if user.has_role_perm(Perm.CASE_HANDLE):
        qs = paperwork_open(user)
        out["paperwork"], out["paperwork_count"] = list(qs[:HOME_ROWS]), qs.count()
        out["overdue"] = bool(out["paperwork"]) and out["paperwork"][0].paperwork_due < today  # nearest first
    levels = [
        level
        for level, perm in (("township", Perm.CASE_TOWNSHIP_REVIEW), ("county", Perm.CASE_DECIDE))
        if user.has_role_perm(perm)
    ]
    if levels:
        qs = temporary_list(user).filter(state=TemporaryState.AWAITING, approval_level__in=levels).order_by("pk")
        out["decide"], out["decide_count"] = list(qs[:HOME_ROWS]), qs.count()
    out["count"] = out["paperwork_count"] + out["decide_count"]
    return out


# ---- the old-age allowance rosters (rosters.py) ----------------------------------------------------------------
def rosters_of_month(user, month) -> QuerySet:
    """The villages' rosters of ``month`` in the account's area, those not confirmed first, with the number of
    people, the amount and the number of each mark."""
    marks = {f"n_{m}": Count("lines", filter=Q(lines__mark=m)) for m in RosterMark.values}
    return (
        scope.visible(user, "benefits.ElderlyRoster")
        .filter(month=month)
        .annotate(people=Count("lines"), total=Sum("lines__amount"), **marks)
        .select_related("confirmed_by")
        .order_by(Case(When(state=RosterState.OPEN, then=0), default=1), "area_code")
    )


def rosters_to_confirm(user) -> QuerySet:
    """The rosters waiting for the account's village (or township) to confirm, oldest month first (the home page)."""
    return (
        scope.visible(user, "benefits.ElderlyRoster", act=True)
        .filter(state=RosterState.OPEN)
        .annotate(
            people=Count("lines"),
            pending=Count("lines", filter=Q(lines__mark=RosterMark.PENDING)),
            village=Subquery(Area.objects.filter(code=OuterRef("area_code")).values("name")[:1]),
        )
        .order_by("month", "area_code")
    )


def roster_months(user) -> list:
    return list(
        scope.visible(user, "benefits.ElderlyRoster").order_by("-month").values_list("month", flat=True).distinct()[:24]
    )


def roster_get(user, pk) -> ElderlyRoster:
    return scope.get_visible(
        user, "benefits.ElderlyRoster", pk, queryset=ElderlyRoster.objects.select_related("confirmed_by")
    )


def roster_lines(roster: ElderlyRoster) -> QuerySet:
    return roster.lines.select_related("person", "marked_by").order_by("pk")


def roster_lines_held(user, month) -> QuerySet:
    """People of ``month``'s rosters the villages marked moved, died or disputed: the township acts on each (records
    the death or the move in the registry, or settles the dispute) — they are not paid meanwhile."""
    return (
        scope.visible(user, "benefits.ElderlyRosterLine")
        .filter(month=month)
        .exclude(mark__in=[RosterMark.PRESENT, RosterMark.PENDING])
        .select_related("person", "roster")
        .order_by("roster__area_code", "pk")
    )


# ---- veterans' periodic payments (veterans.py) ---------------------------------------------------------------
# An entitlement's status as the roster shows it (pages and API), with its Chinese label.
STATUSES = (
    ("pending", gettext_lazy("待县级审批")),
    ("active", gettext_lazy("发放中")),
    ("suspended", gettext_lazy("服刑中止")),
    ("grants_only", gettext_lazy("仅一次性补助")),
    ("ended", gettext_lazy("已停发")),
    ("refused", gettext_lazy("不予批准")),
)


def status_of(v) -> str:
    """pending, refused, grants_only (approved, no monthly payment), active, suspended or ended."""
    if v.state != VeteranState.APPROVED:
        return v.state
    if v.enrolment is None:
        return "grants_only"
    return {"active": "active", "suspended": "suspended"}.get(v.enrolment.status, "ended")


def veterans_list(
    user, *, category: str = "", status: str = "", area: str = "", q: str = "", cause: str = ""
) -> QuerySet:
    """The area's entitled people, filtered by category, status (pending, active, suspended, ended, grants_only,
    refused), area (a township or village code inside the account's), name or certificate, and a disabled
    serviceman's cause of disability (war, duty, illness)."""
    qs = scope.visible(user, "benefits.VeteranEntitlement").select_related("person", "enrolment")
    if category:
        qs = qs.filter(category=category)
    if cause:
        qs = qs.filter(cause=cause)
    if area:
        prefix = area[:6] if area.endswith("000000") else area[:9] if area.endswith("000") else area
        qs = qs.filter(area_code__startswith=prefix)
    if q:
        qs = qs.filter(Q(person__name__contains=q) | Q(certificate_no__contains=q))
    by_status = {
        "pending": Q(state="pending"),
        "refused": Q(state="refused"),
        "grants_only": Q(state="approved", enrolment__isnull=True),
        "active": Q(state="approved", enrolment__status="active"),
        "suspended": Q(state="approved", enrolment__status="suspended"),
        "ended": Q(state="approved", enrolment__status__in=["terminated", "ended"]),
    }
    if status in by_status:
        qs = qs.filter(by_status[status])
    return qs.order_by("area_code", "category", "pk")


def veteran_get(user, pk):
    return scope.get_visible(
        user,
        "benefits.VeteranEntitlement",
        pk,
        queryset=VeteranEntitlement.objects.select_related("person", "household", "enrolment", "created_by"),
    )


def veteran_of_person(user, person_id: int):
    """The person's entitlement, if any and visible (the person's page)."""
    return veterans_list(user).filter(person_id=person_id).exclude(state="refused").first()
