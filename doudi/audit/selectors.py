from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet


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
    qs = events.select_related("actor")
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if target:
        if ":" in target:
            ttype, tid = target.split(":", 1)
            qs = qs.filter(target_type=ttype.strip(), target_id=tid.strip())
        elif target.isdigit():
            qs = qs.filter(Q(household_id=int(target)) | Q(target_id=target))
        else:
            qs = qs.filter(target_label__icontains=target)
    if action:
        qs = qs.filter(action__startswith=action)
    if kind:
        qs = qs.filter(kind=kind)
    for value, lookup in ((date_from, "at__date__gte"), (date_to, "at__date__lte")):
        if value:
            try:
                qs = qs.filter(**{lookup: dt.date.fromisoformat(value)})
            except ValueError:
                pass
    return qs.order_by("-at", "-id")
