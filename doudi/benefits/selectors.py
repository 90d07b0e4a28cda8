"""Reads of temporary assistance and the hotline, always area-scoped (doudi/accounts/scope.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from doudi.accounts import scope
from doudi.accounts.roles import Perm

from .models import HotlineCall, TemporaryAssistance, TemporaryState


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
