"""Reads of the registry. Every one starts from the account's area scope."""

from __future__ import annotations

import re

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from doudi.accounts.scope import households_visible
from doudi.areas.models import Area
from doudi.audit.details import target_text
from doudi.audit.events import action_label
from doudi.audit.models import AuditEvent
from doudi.core.crypto import blind_index
from doudi.core.idnumber import account_mask, id_mask
from doudi.core.validation import text_clean

from .events import RecordEvent, RegistryEvent
from .models import RECORD_MODELS, Household, Membership, Person

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


# The registry's own events (the household page's "registry changes"); looks at full numbers and the events of
# cases and payments are shown elsewhere (the audit page, the family's cases and payments).
REGISTRY_ACTIONS = frozenset(e.value for e in (*RegistryEvent, *RecordEvent)) - {
    RegistryEvent.IMPORT.value,
    RegistryEvent.FACTS_REBUILD.value,
}
MASKED = {"id_number": id_mask, "bank_account": account_mask}
_MODELS = {m._meta.model_name: m for m in (Household, Person, Membership, *RECORD_MODELS.values())}


def _field_value(model, name: str, value, areas: dict) -> str:
    if value is None or value == "":
        return "—"
    if name in MASKED:
        return MASKED[name](str(value))
    if name in ("area", "area_id"):
        return areas.get(value, value)
    try:
        field = model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
    except Exception:  # a key the model no longer has: shown as stored
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    return str(value)


def _field_label(model, name: str) -> str:
    for candidate in (name, name.removesuffix("_id")):
        try:
            return str(model._meta.get_field(candidate).verbose_name)
        except Exception:  # noqa: S112 - try the next spelling
            continue
    return str(Membership._meta.get_field("relation").verbose_name) if name == "relation" else name


def registry_changes(household: Household, limit: int = 100) -> list[dict]:
    """The household's registry history, newest first: who changed what, with each changed field named in the
    reader's language, old and new values shown (ID numbers and bank accounts masked, choices by their names).
    Two queries."""
    events = list(
        AuditEvent.objects.filter(household_id=household.pk, action__in=REGISTRY_ACTIONS)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    codes = {
        v
        for e in events
        for d in (e.old or {}, e.new or {})
        for k, v in d.items()
        if k in ("area", "area_id") and isinstance(v, str)
    }
    areas = dict(Area.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    out = []
    for e in events:
        model = _MODELS.get(e.target_type, Household)
        old, new = e.old or {}, e.new or {}
        lines = []
        if e.action.endswith(".update"):
            for name in new:
                if old.get(name) != new.get(name):
                    lines.append(
                        (
                            _field_label(model, name),
                            _field_value(model, name, old.get(name), areas),
                            _field_value(model, name, new.get(name), areas),
                        )
                    )
        elif e.action == RegistryEvent.HOUSEHOLD_REGISTER:
            names = str(_("、")).join(m.get("name", "") for m in new.get("members", []))
            lines.append((str(_("成员")), "", names))
        elif e.action in (RegistryEvent.PERSON_LEAVE, RegistryEvent.PERSON_MOVE):
            reason = new.get("reason") or new.get("end_reason") or ""
            if reason:
                lines.append((str(_("原因")), "", reason))
        out.append(
            {
                "at": e.at,
                # the account's name as colleagues know it (汉阳镇经办人), the login recorded when it is gone
                "actor": str(e.actor) if e.actor_id else e.actor_label,
                "action": action_label(e.action),
                "target": target_text(e),
                "lines": lines,
            }
        )
    return out
