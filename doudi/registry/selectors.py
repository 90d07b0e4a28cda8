"""Reads of the registry. Every one starts from the account's area scope."""

from __future__ import annotations

import re

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When

from doudi.accounts.scope import households_visible
from doudi.areas.models import Area
from doudi.audit.models import AuditEvent
from doudi.core.crypto import blind_index
from doudi.core.validation import text_clean

from .models import Household, Membership

ID_LIKE = re.compile(r"^[0-9]{4,17}[0-9Xx]?$")
PHONE_LIKE = re.compile(r"^1[0-9]{10}$")
# Longest search text (a name, an ID number, a phone number); longer is refused, not cut.
SEARCH_MAX = 100


def household_search(user, *, q: str = "", area: str = "", hukou_type: str = "") -> QuerySet[Household]:
    """Households in the account's area matching a name, ID number (full, or its last 4+ characters), phone
    or area code. An area outside the account's scope simply matches nothing."""
    q = text_clean(q, field="q", zh_label="搜索内容", en_label="Search text", max_length=SEARCH_MAX)
    area = text_clean(area, field="area", zh_label="区划", en_label="Area", max_length=12)
    qs = households_visible(user).select_related("area", "area__parent")
    if area:
        node = Area.objects.filter(code=area).first()
        qs = qs.filter(area__code__startswith=node.prefix) if node else qs.none()
    if hukou_type:
        qs = qs.filter(hukou_type=hukou_type)
    if q:
        members = Membership.objects.filter(household=OuterRef("pk"), end_date__isnull=True)
        if PHONE_LIKE.match(q):
            qs = qs.filter(phone_index=blind_index(q, domain="phone"))
        elif ID_LIKE.match(q) and len(q) in (4, 18):
            # ID numbers are encrypted: found in full or by their last 4 characters, each through its keyed index
            q = q.upper()
            cond = (
                Q(person__id_index=blind_index(q, domain="id_number"))
                if len(q) == 18
                else Q(person__id_last4=blind_index(q, domain="id_last4"))
            )
            qs = qs.filter(Exists(members.filter(cond)))
        else:
            # The head is a member, so one lookup on member names covers both (and uses the trigram index).
            qs = qs.filter(
                pk__in=Membership.objects.filter(end_date__isnull=True, person__name__contains=q).values("household_id")
            )
    return qs.order_by("-id")


def household_members(household: Household, *, current: bool = True):
    """Members with the head first, then in the order they joined."""
    qs = household.memberships.select_related("person")
    if current:
        qs = qs.filter(end_date__isnull=True)
    head_first = Case(When(relation="head", then=Value(0)), default=Value(1))
    return qs.order_by(head_first, "start_date", "id")


def household_overview(household: Household) -> dict:
    return {
        "members": list(household_members(household)),
        "former": list(
            household.memberships.filter(end_date__isnull=False).select_related("person").order_by("-end_date")
        ),
        "incomes": list(household.incomes.select_related("person")),
        "expenditures": list(household.expenditures.select_related("person")),
        "financial_assets": list(household.financial_assets.select_related("person")),
        "vehicles": list(household.vehicles.all()),
        "homes": list(household.homes.all()),
        "business_roles": list(household.business_roles.select_related("person")),
        "supporters": list(household.supporters.select_related("person")),
    }


def household_history(household: Household, limit: int = 200):
    return AuditEvent.objects.filter(household_id=household.pk).select_related("actor")[:limit]
