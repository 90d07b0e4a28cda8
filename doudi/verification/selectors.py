"""Reads of the verification app for other pages: what waits on the day's home page, and what the household's page
shows of alerts, discoveries and the low-income register — always within the account's area."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from doudi.accounts import scope
from doudi.accounts.roles import Perm

from .models import AlertRule, AlertState, DiscoveryState

HOME_LIMIT = 10


def home_watch(user, *, today: dt.date, limit: int = HOME_LIMIT) -> dict:
    """The open alerts of the account's area (for those who handle them) and the discovery and register visits it
    owes: its own assignments for a village cadre, the area's open visits for a township caseworker; due soonest
    first (a discovery whose assets clearly exceed the limits last).

    A village cadre, who visits but does not handle alerts, sees the open alerts of their own village too
    (``alerts_to_know``): what the township is checking about which family, to bear in mind at the next visit —
    the rule and the source, not the departments' figures (the verification results stay with civil affairs)."""
    out: dict = {
        "alerts": [],
        "alert_count": 0,
        "alert_rules": [],
        "alerts_to_know": False,
        "visits": [],
        "visit_count": 0,
        "visits_late": 0,
        "register_visits": [],
        "register_visit_count": 0,
        "register_visits_late": 0,
    }
    if user.has_role_perm(Perm.VERIFICATION_HANDLE):
        alerts = scope.visible(user, "verification.Alert", act=True).filter(state=AlertState.OPEN)
        out["alert_count"] = alerts.count()
        out["alerts"] = list(
            alerts.select_related("person", "household", "enrolment__programme").order_by("-id")[:limit]
        )
        out["alert_rules"] = [
            (AlertRule(rule).label, n)
            for rule, n in alerts.values_list("rule").annotate(n=Count("id")).values_list("rule", "n").order_by("rule")
        ]
    elif user.has_role_perm(Perm.DISCOVERY_VISIT):
        # to know, not to act on: the open alerts of the cadre's own area (their village), by rule in one query
        alerts = scope.visible(user, "verification.Alert", act=True).filter(state=AlertState.OPEN)
        by_rule = list(alerts.values_list("rule").annotate(n=Count("id")).values_list("rule", "n").order_by("rule"))
        out["alert_rules"] = [(AlertRule(rule).label, n) for rule, n in by_rule]
        out["alert_count"] = sum(n for _rule, n in by_rule)
        out["alerts_to_know"] = True
        if out["alert_count"]:
            out["alerts"] = list(
                alerts.select_related("person", "household", "load", "enrolment__programme").order_by("-id")[:limit]
            )
    if user.has_role_perm(Perm.DISCOVERY_VISIT):
        visits = scope.visible(user, "verification.Discovery", act=True).filter(state=DiscoveryState.OPEN)
        if user.role == "village_cadre":
            visits = visits.filter(assigned_to=user) | visits.filter(assigned_to__isnull=True)
        counts = visits.aggregate(n=Count("id"), late=Count("id", filter=Q(visit_due__lt=today)))
        out["visit_count"], out["visits_late"] = counts["n"], counts["late"]
        if counts["n"]:
            out["visits"] = list(
                visits.select_related("person", "household").order_by("assets_over", "visit_due", "id")[:limit]
            )
        # the register's households whose home visit is due: the cadre's own, the whole area's for the township
        due = scope.visible(user, "verification.MonitoringEntry", act=True).filter(
            left_on__isnull=True, visit_due__isnull=False
        )
        if user.role == "village_cadre":
            due = due.filter(assigned_to=user)
        counts = due.aggregate(n=Count("id"), late=Count("id", filter=Q(visit_due__lt=today)))
        out["register_visit_count"], out["register_visits_late"] = counts["n"], counts["late"]
        if counts["n"]:
            out["register_visits"] = list(
                due.select_related("household", "assigned_to").order_by("visit_due", "id")[:limit]
            )
    return out


def alerts_to_know(user):
    """The open alerts of the account's own area as a village cadre is told of them (their village's, as on their
    home page): whom, which rule, which department's data of which day — the caller shows no departments' figures."""
    return (
        scope.visible(user, "verification.Alert", act=True)
        .filter(state=AlertState.OPEN)
        .select_related("person", "household", "load")
        .order_by("-id")
    )


def _alerts_of(user, **where) -> dict:
    """The alerts ``where`` selects as the account may read them: all of them with the departments' figures for
    those who see verification; the open ones without the figures for a village cadre (the township checks them)."""
    if user.has_role_perm(Perm.VERIFICATION_VIEW):
        qs, detail = scope.visible(user, "verification.Alert").filter(**where), True
    elif user.has_role_perm(Perm.DISCOVERY_VISIT):
        qs = scope.visible(user, "verification.Alert", act=True).filter(state=AlertState.OPEN, **where)
        detail = False
    else:
        return {"alerts": [], "alert_detail": False}
    return {"alerts": list(qs.select_related("person", "load").order_by("-id")), "alert_detail": detail}


def entry_watch(user, entry) -> dict:
    """The alerts raised on a low-income register entry (its household, not paid: a death, a car, income above
    the line…), for its page."""
    return _alerts_of(user, entry=entry)


def household_watch(user, household) -> dict:
    """The household's alerts, discoveries and register entries, as far as the account's area reaches."""
    out: dict = {"discoveries": [], "monitoring": [], **_alerts_of(user, household=household)}
    if user.has_role_perm(Perm.DISCOVERY_VIEW):
        out["discoveries"] = list(
            scope.visible(user, "verification.Discovery")
            .filter(household=household)
            .select_related("person", "assigned_to")
            .order_by("-id")
        )
        out["monitoring"] = list(
            scope.visible(user, "verification.MonitoringEntry")
            .filter(household=household)
            .order_by("-entered_on", "-id")
        )
    out["count"] = len(out["alerts"]) + len(out["discoveries"])
    return out
