"""What the administrators have to look after on the home page, each within their area, each a fixed number of
queries. The system administrator: townships without the accounts the procedure needs, accounts never used or long
idle, background jobs that failed, the holiday calendar of the coming year. The security administrator: accounts
waiting for a role, logins locked now. Reads only."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from doudi.core.models import CalendarYear, JobState

from . import scope
from .models import NO_ROLE
from .roles import Perm, Role

IDLE = dt.timedelta(days=90)  # an active account unused this long is probably someone who left
JOBS_SINCE = dt.timedelta(days=30)
# The roles the procedure cannot do without in every township: the window and the township's opinion.
TOWNSHIP_ROLES = (Role.TOWNSHIP_CASEWORKER, Role.TOWNSHIP_REVIEWER)


def staff_tasks(user, *, now: dt.datetime | None = None) -> dict:
    """The administrator's list (empty for anyone who does not manage staff or security)."""
    now = now or timezone.now()
    staff = scope.visible(user, "accounts.Staff")
    active = staff.filter(is_active=True)
    if user.has_role_perm(Perm.SECURITY_MANAGE):
        return {"security": True, **_security_tasks(staff, active, now)}
    if not user.has_role_perm(Perm.STAFF_MANAGE):
        return {}
    covered = set(
        active.filter(role__in=TOWNSHIP_ROLES, area__level="township").values_list("area_id", "role").distinct()
    )
    gaps = [
        {"area": t, "missing": [Role(r).label for r in TOWNSHIP_ROLES if (t.code, r) not in covered]}
        for t in scope.areas_visible(user).filter(level="township").order_by("code")
    ]
    next_year = now.date().year + 1
    return {
        "gaps": [g for g in gaps if g["missing"]],
        "never_used": list(active.filter(last_login__isnull=True).select_related("area").order_by("date_joined")[:20]),
        "idle": list(
            active.filter(last_login__lt=now - IDLE)
            .exclude(pk=user.pk)
            .select_related("area")
            .order_by("last_login")[:20]
        ),
        "no_role": active.filter(role=NO_ROLE).count(),
        "failed_jobs": list(
            scope.jobs_visible(user)
            .filter(state=JobState.FAILED, created_at__gte=now - JOBS_SINCE)
            .filter(Q(area_prefix__startswith=user.scope_prefix) | Q(created_by=user))
            .order_by("-id")[:10]
        ),
        "calendar_missing": None if CalendarYear.objects.filter(year=next_year).exists() else next_year,
    }


def _security_tasks(staff, active, now) -> dict:
    cooloff = dt.timedelta(hours=settings.AXES_COOLOFF_TIME) if settings.AXES_COOLOFF_TIME else None
    locked = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        username__in=list(staff.values_list("username", flat=True)[:5000]),
    )
    if cooloff:
        locked = locked.filter(attempt_time__gte=now - cooloff)
    locked_names = sorted(set(locked.values_list("username", flat=True)))
    return {
        "no_role": active.filter(role=NO_ROLE).count(),
        "locked": list(staff.filter(username__in=locked_names).order_by("username")),
    }
