from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from doudi.core.validation import DATE_MAX, DATE_MIN, id_or_none, text_clean

from .events import action_label
from .models import EventKind


def audit_search(
    events: QuerySet,
    *,
    actor: str = "",
    target: str = "",
    action: str = "",
    kind: str = "",
    date_from: str = "",
    date_to: str = "",
):
    """Filter ``events`` (the account's visible events, from doudi/accounts/scope.py) as the audit page asks."""
    for name, value in (("actor", actor), ("target", target), ("action", action), ("kind", kind)):
        text_clean(value, field=name, zh_label=name, en_label=name, max_length=100)
    qs = events.select_related("actor")
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if target:
        if ":" in target:
            ttype, tid = target.split(":", 1)
            qs = qs.filter(target_type=ttype.strip(), target_id=tid.strip())
        elif id_or_none(target) is not None:
            qs = qs.filter(Q(household_id=id_or_none(target)) | Q(target_id=target))
        else:
            qs = qs.filter(target_label__icontains=target)
    if action:
        qs = qs.filter(action__startswith=action)
    if kind:
        qs = qs.filter(kind=kind)
    for value, lookup in ((date_from, "at__date__gte"), (date_to, "at__date__lte")):
        if value:
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                continue
            qs = qs.filter(**{lookup: min(max(day, DATE_MIN), DATE_MAX)})
    return qs.order_by("-at", "-id")


def sensitive_recent(events: QuerySet, *, since: dt.datetime, limit: int = 15) -> dict:
    """Looks at full ID numbers, bank accounts and case documents, and their exports, since ``since``, newest first
    (``events``: the account's visible events, from doudi/accounts/scope.py), with who looked most."""
    qs = events.filter(kind=EventKind.ACCESS, at__gte=since)
    by_actor = list(qs.order_by().values("actor_label").annotate(n=Count("id")).order_by("-n", "actor_label")[:5])
    items = list(qs.order_by("-at", "-id")[:limit])
    for e in items:
        e.action_label = action_label(e.action)
    return {"items": items, "count": qs.count(), "by_actor": by_actor}
