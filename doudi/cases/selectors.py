"""Case reads, always area-scoped: queues per person (mine, due soon, overdue) and dashboard counts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from doudi.core.workdays import WorkCalendar, add_working_days

from . import workflow as wf
from .models import Case, Enrolment


def cases_visible(user):
    return Case.objects.filter(area_code__startswith=user.scope_prefix)


def enrolments_visible(user):
    return Enrolment.objects.filter(area_code__startswith=user.scope_prefix)


def _overdue(today):
    return Q(step_due__lt=today) | Q(total_due__lt=today)


def case_queues(user, *, today: dt.date | None = None) -> dict[str, list[Case]]:
    """mine: open cases where this person can make a move; due soon: a step or the whole case due within 3
    working days; overdue: past a step's or the whole procedure's time limit."""
    from .actions import available_moves

    today = today or timezone.localdate()
    soon = add_working_days(today, wf.DUE_SOON_WORKING_DAYS, WorkCalendar.load()).due
    open_cases = list(
        cases_visible(user)
        .filter(state__in=wf.OPEN_STATES)
        .select_related("programme", "household", "applicant")
        .order_by("step_due", "total_due", "id")[:2000]
    )
    mine = [c for c in open_cases if any(m.code not in ("withdraw", "extend") for m in available_moves(user, c))]
    overdue = [c for c in open_cases if (c.step_due and c.step_due < today) or (c.total_due and c.total_due < today)]
    due_soon = [
        c
        for c in open_cases
        if c not in overdue and ((c.step_due and c.step_due <= soon) or (c.total_due and c.total_due <= soon))
    ]
    return {"mine": mine, "due_soon": due_soon, "overdue": overdue}


def case_counts(user, *, today: dt.date | None = None) -> dict:
    """Counts by state and by township, with overdue counts, for the dashboard."""
    today = today or timezone.localdate()
    qs = cases_visible(user)
    by_state = dict(qs.values_list("state").annotate(n=Count("id")))
    rows = (
        qs.filter(state__in=wf.OPEN_STATES)
        .values("area_code")
        .annotate(open=Count("id"), overdue=Count("id", filter=_overdue(today)))
    )
    by_township: dict[str, dict] = {}
    for r in rows:
        t = by_township.setdefault(r["area_code"][:9] + "000", {"open": 0, "overdue": 0})
        t["open"] += r["open"]
        t["overdue"] += r["overdue"]
    return {
        "by_state": [(code, wf.STATES[code].zh, by_state.get(code, 0)) for code in wf.STATES],
        "by_township": by_township,
        "overdue": qs.filter(state__in=wf.OPEN_STATES).filter(_overdue(today)).count(),
    }


def _area_prefix(user, area_code: str | None) -> tuple:
    """The area (default: the user's own) and its code prefix; outside the user's scope → NotFound."""
    from doudi.accounts.scope import area_get

    node = area_get(user, area_code or user.area_id)
    return node, node.prefix


def cases_in_notice(user, area_code: str | None = None):
    node, prefix = _area_prefix(user, area_code)
    return node, list(
        cases_visible(user)
        .filter(state="noticing", area_code__startswith=prefix)
        .select_related("applicant", "household", "programme")
    )


def terminations_in_notice(user, area_code: str | None = None, *, today: dt.date | None = None):
    today = today or timezone.localdate()
    node, prefix = _area_prefix(user, area_code)
    return node, list(
        enrolments_visible(user)
        .filter(status="terminated", termination_notice_end__gte=today, area_code__startswith=prefix)
        .select_related("programme", "household", "person")
    )
