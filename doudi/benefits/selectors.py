"""Reads of temporary assistance and the hotline, always area-scoped (doudi/accounts/scope.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from doudi.accounts import scope

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
