"""The low-income population register (低收入人口动态监测): each household by tier — dibao, tekun, edge families,
households with heavy rigid expenses, households monitored against falling back into poverty — with when and
why it entered and left [domain.md §6; 民政部《关于加强低收入人口动态监测做好分层分类社会救助工作的意见》 (2023)].

The register is recomputed whenever the facts change (``register_recompute``): a dibao or tekun enrolment
begins, changes or ends (through the cases app's watcher, in the same transaction), a department's load names
a household, or the township presses the button. The dibao and tekun tiers follow the enrolments; the edge tier
follows the income, the assets and the enrolments; the rigid-expense and relapse-risk tiers are entered and left
by the township with a reason, often after a discovery visit. Every entry and exit is audited; departments'
loads are matched against everyone on the register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import get_actionable, household_get, perm_require
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.cases.models import Enrolment
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict
from doudi.core.labels import said
from doudi.core.validation import text_clean
from doudi.registry.choices import COUNTED_KINDS, SUBTRACTED_KINDS
from doudi.registry.models import Household

from .discovery import FamilyFigures, assets_text
from .events import VerificationEvent
from .models import (
    ENROLLED_TIERS,
    IN_PAYMENT,
    Alert,
    AlertState,
    DatasetRecord,
    Discovery,
    DiscoveryState,
    MonitoringEntry,
    Tier,
)
from .report import FEEDS, both, derive, newest_records, record_values

DEATH_KINDS = ("death", "funeral")

MANUAL_TIERS = [t for t in Tier.values if t not in ENROLLED_TIERS]


def _reason(value: str, field: str) -> str:
    return text_clean(value, field=field, zh_label="原因", en_label="Reason", max_length=200, required=True)


@action
def monitoring_sync(*, actor, on: dt.date | None = None, area_prefix: str | None = None) -> dict:
    """Recompute the register of the account's area (the page's button, a rerun after anything): the dibao and
    tekun tiers in line with the enrolments, the edge tier with the facts (``register_recompute``).
    ``area_prefix`` only for a system run (the demo county's, with no actor)."""
    if actor is not None:
        perm_require(actor, Perm.DISCOVERY_VISIT)
        area_prefix = actor.scope_prefix
    elif not area_prefix:
        raise ApplicationError("请指定区划", "An area is required", field="area", code="required")
    return register_recompute(actor=actor, area_prefix=area_prefix, on=on or timezone.localdate())


def register_recompute(
    *, actor, area_prefix: str, on: dt.date, household_ids: set[int] | None = None, cause: str = ""
) -> dict:
    """Bring the register in line with the facts, for the households given (or the whole area): runs inside the
    caller's transaction (a department load, an enrolment's start, change or exit, the page's button); a rerun
    changes nothing.

    - dibao and tekun follow the enrolments: an enrolment in payment enters its household, an open entry whose
      household has none left leaves, the reason saying which;
    - the edge tier (低保边缘家庭: per-capita income below ``single_person_edge_ratio`` × the standard, asset rules
      passed [domain.md §2]) is left when the household is enrolled in dibao or tekun, when its per-capita income
      (registered, or the departments' newer figure) reaches the edge line, or when its assets clearly exceed the
      limits; a household leaving dibao or tekun in this run that still falls under the line enters it;
    - every tier is left when no member of the household is alive (registry, or the departments' death records).
    ``cause`` (Chinese / English) is added to the reasons written."""
    enrolments = Enrolment.objects.filter(area_code__startswith=area_prefix)
    entries = MonitoringEntry.objects.filter(area_code__startswith=area_prefix)
    if household_ids is not None:
        enrolments, entries = (
            enrolments.filter(household_id__in=household_ids),
            entries.filter(household_id__in=household_ids),
        )
    paying = {}
    for e in enrolments.filter(status__in=IN_PAYMENT, programme_id__in=ENROLLED_TIERS).order_by("start_month", "id"):
        paying.setdefault((e.household_id, e.programme_id), e)
    open_entries = {
        (m.household_id, m.tier): m for m in entries.filter(left_on__isnull=True).select_for_update().order_by("pk")
    }
    entered = [
        MonitoringEntry(
            household_id=household_id,
            tier=tier,
            area_code=e.area_code,
            entered_on=e.start_month,
            entry_reason=both(
                f"{Tier(tier).label}在保（自 {e.start_month:%Y-%m} 起发放）", f"Enrolled from {e.start_month:%Y-%m}"
            ),
            enrolment=e,
            entered_by=actor,
        )
        for (household_id, tier), e in paying.items()
        if (household_id, tier) not in open_entries
    ]
    MonitoringEntry.objects.bulk_create(entered)
    left_enrolled = set()
    left = 0
    for key, m in open_entries.items():
        if m.tier not in ENROLLED_TIERS or key in paying:
            continue
        ended = (
            Enrolment.objects.filter(household_id=m.household_id, programme_id=m.tier).order_by("-id").first()
            if m.enrolment_id is None
            else m.enrolment
        )
        when = ended.end_month if ended and ended.end_month else on
        _leave(
            m,
            on=max(min(when, on), m.entered_on),
            actor=actor,
            reason=both(
                f"{Tier(m.tier).label}终止保障"
                f"{f'（最后发放月 {ended.end_month:%Y-%m}）' if ended and ended.end_month else ''}",
                "Enrolment ended",
            ),
        )
        left_enrolled.add(m.household_id)
        left += 1
    enrolled_now = {h for h, _tier in paying}
    edge_entered, edge_left = _edge_recompute(
        actor=actor,
        on=on,
        open_entries=[m for m in open_entries.values() if m.left_on is None],
        enrolled_now=enrolled_now,
        left_enrolled=left_enrolled,
    )
    counts = {"entered": len(entered) + edge_entered, "left": left + edge_left}
    if counts["entered"] or counts["left"]:
        audit_record(
            actor=actor,
            action=VerificationEvent.MONITORING_SYNC,
            kind=EventKind.BATCH,
            target_type="batch",
            label="低收入人口名单更新" + (f"（{said(cause)}）" if cause else ""),
            area_code=area_prefix.ljust(12, "0")[:12],
            new={**counts, "households": len(household_ids) if household_ids is not None else None},
        )
    return counts


def _leave(m: MonitoringEntry, *, on: dt.date, actor, reason: str) -> None:
    m.left_on, m.leave_reason, m.left_by = max(on, m.entered_on), reason[:400], actor
    m.save(update_fields=["left_on", "leave_reason", "left_by"])


def _edge_recompute(*, actor, on, open_entries, enrolled_now, left_enrolled) -> tuple[int, int]:
    """The edge tier and the households with no member alive (see ``register_recompute``)."""
    by_household: dict[int, list[MonitoringEntry]] = {}
    for m in open_entries:
        by_household.setdefault(m.household_id, []).append(m)
    # a household only in the dibao or tekun tiers has nothing more to weigh: they follow the enrolments
    candidates = {h for h, ms in by_household.items() if any(m.tier not in ENROLLED_TIERS for m in ms)} | left_enrolled
    if not candidates:
        return 0, 0
    households = {h.pk: h for h in Household.objects.filter(pk__in=candidates)}
    params: dict = {}
    entered = left = 0
    for household_id in sorted(candidates):
        household = households.get(household_id)
        if household is None:
            continue
        facts = HouseholdFacts(household, on, params)
        current = by_household.get(household_id, [])
        if not facts.living:
            for m in current:
                if m.tier in ENROLLED_TIERS:
                    continue  # those follow the enrolments (a death ends them through the payment's stop)
                _leave(m, on=on, actor=actor, reason=both("家庭成员均已死亡", "No member of the household is alive"))
                left += 1
            continue
        edge = next((m for m in current if m.tier == Tier.EDGE), None)
        why_not = facts.not_edge(enrolled=household_id in enrolled_now)
        if edge is not None and why_not:
            _leave(edge, on=on, actor=actor, reason=why_not)
            left += 1
        elif edge is None and household_id in left_enrolled and facts.edge is not None and not why_not:
            MonitoringEntry.objects.create(
                household=household,
                tier=Tier.EDGE,
                area_code=household.area_id,
                entered_on=on,
                entry_reason=both(
                    f"退出低保/特困后家庭人均月收入 {facts.per_capita} 元，低于低保边缘线 {facts.edge} 元",
                    f"After leaving the allowance the per-capita income {facts.per_capita} is below the edge line "
                    f"{facts.edge}",
                ),
                entered_by=actor,
            )
            entered += 1
    return entered, left


class HouseholdFacts:
    """What the edge tier reads about a household: living members, monthly income counted (the departments'
    newest monthly figure of a kind replaces the registered one of the same person and kind), the edge line and
    the assets."""

    def __init__(self, household: Household, on: dt.date, cache: dict):
        self.figures = FamilyFigures(household, on, cache)
        members = [m.person for m in self.figures.members if not m.person.deceased]
        dead = set(
            DatasetRecord.objects.filter(person_id__in=[p.pk for p in members], load__kind__in=DEATH_KINDS)
            .values_list("person_id", flat=True)
            .distinct()
        )
        self.living = [p for p in members if p.pk not in dead]
        self.edge = self.figures.standard_edge[1] if self.figures.standard_edge else None
        self.per_capita = self._per_capita()

    def _per_capita(self) -> Decimal:
        ids = {p.pk for p in self.living}
        found: dict[tuple[int, str], Decimal] = {}
        for (person_id, kind), records in newest_records(list(ids)).items():
            if kind in FEEDS:
                derived = derive(kind, [record_values(r) for r in records])
                key = (person_id, FEEDS[kind])
                found[key] = found.get(key, Decimal("0")) + derived.found_monthly
        total = sum(found.values(), Decimal("0"))
        for i in self.figures.incomes:
            if i.person_id is not None and i.person_id not in ids:
                continue
            if (i.person_id, i.kind) in found:
                continue
            if i.kind in COUNTED_KINDS:
                total += i.monthly
            elif i.kind in SUBTRACTED_KINDS:
                total -= i.monthly
        return (max(total, Decimal("0")) / max(len(self.living), 1)).quantize(Decimal("0.01"))

    def not_edge(self, *, enrolled: bool) -> str:
        """Why the household is not (or no longer) an edge family ("中文 / English"); empty when it is."""
        if enrolled:
            return both("已纳入低保或特困", "Enrolled in the allowance or extreme poverty support")
        if self.edge is None:
            return ""
        if self.per_capita >= self.edge:
            return both(
                f"家庭人均月收入 {self.per_capita} 元，不低于低保边缘线 {self.edge} 元",
                f"Per-capita income {self.per_capita}, not below the edge line {self.edge}",
            )
        over = self.figures.assets_over()
        return assets_text(over)


def register_watch_enrolment(*, actor, enrolment, on: dt.date) -> None:
    """The cases app's watcher: a dibao or tekun enrolment that began, changed or ended recomputes its
    household's place in the register, in the same transaction."""
    if enrolment.programme_id not in ENROLLED_TIERS:
        return
    register_recompute(
        actor=actor if getattr(actor, "pk", None) else None,
        area_prefix=enrolment.area_code[:6],
        on=on,
        household_ids={enrolment.household_id},
        cause=both("保障变动", "Enrolment changed"),
    )


def _register_watch_batch(*, changes) -> None:
    """Many enrolments changed together (``cases.watchers.enrolments_changed_together``): one recompute per county
    and day for all their households."""
    groups: dict[tuple[str, dt.date], tuple[object, set[int]]] = {}
    for actor, enrolment, on in changes:
        if enrolment.programme_id not in ENROLLED_TIERS:
            continue
        _actor, ids = groups.setdefault((enrolment.area_code[:6], on), (actor, set()))
        ids.add(enrolment.household_id)
    for (prefix, on), (actor, ids) in groups.items():
        register_recompute(
            actor=actor if getattr(actor, "pk", None) else None,
            area_prefix=prefix,
            on=on,
            household_ids=ids,
            cause=both("保障变动", "Enrolment changed"),
        )


register_watch_enrolment.batch = _register_watch_batch


@action
def monitoring_enter(
    *,
    actor,
    household_id: int,
    tier: str,
    reason: str,
    on: dt.date | None = None,
    discovery_id: int | None = None,
) -> MonitoringEntry:
    """Enter a household in an edge, rigid-expense or relapse-risk tier, with the reason."""
    perm_require(actor, Perm.DISCOVERY_VISIT)
    if tier not in MANUAL_TIERS:
        raise ApplicationError(
            "只能纳入低保边缘家庭、刚性支出困难家庭或防止返贫监测对象（低保、特困随在保情况自动纳入）",
            "Only the edge, rigid-expense and relapse-risk tiers are entered by hand (dibao and tekun follow the "
            "enrolments)",
            field="tier",
            code="invalid_choice",
        )
    household = household_get(actor, household_id)
    if not household.area_id.startswith(actor.scope_prefix):
        raise ApplicationError("找不到该家庭", "Household not found", field="household", code="not_found")
    reason = _reason(reason, "reason")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ApplicationError(
            "纳入日期不能晚于今天", "The date cannot be in the future", field="on", code="out_of_range"
        )
    discovery = None
    if discovery_id:
        discovery = get_actionable(actor, "verification.Discovery", discovery_id)
        if discovery.household_id != household.pk:
            raise ApplicationError(
                "该线索不是这一户的", "That discovery is not this household's", field="discovery", code="invalid"
            )
    if MonitoringEntry.objects.filter(household=household, tier=tier, left_on__isnull=True).exists():
        raise Conflict(f"该户已在{Tier(tier).label}名单中", "The household is already in this tier", field="tier")
    entry = MonitoringEntry.objects.create(
        household=household,
        tier=tier,
        area_code=household.area_id,
        entered_on=on,
        entry_reason=reason,
        discovery=discovery,
        entered_by=actor,
    )
    audit_record(
        actor=actor,
        action=VerificationEvent.MONITORING_ENTER,
        target=entry,
        area_code=entry.area_code,
        household_id=household.pk,
        new={"tier": tier, "reason": reason},
    )
    return entry


@action
def monitoring_leave(*, actor, entry_id: int, reason: str, on: dt.date | None = None) -> MonitoringEntry:
    """Take a household out of an edge, rigid-expense or relapse-risk tier, with the reason."""
    perm_require(actor, Perm.DISCOVERY_VISIT)
    entry = get_actionable(
        actor, "verification.MonitoringEntry", entry_id, queryset=MonitoringEntry.objects.select_for_update()
    )
    if entry.left_on:
        raise Conflict("该户已退出", "Already left", field="entry")
    if entry.tier in ENROLLED_TIERS:
        raise ApplicationError(
            "低保、特困随保障终止自动退出",
            "Dibao and tekun entries leave when the enrolment ends",
            field="entry",
            code="invalid",
        )
    reason = _reason(reason, "reason")
    on = on or timezone.localdate()
    if on > timezone.localdate() or on < entry.entered_on:
        raise ApplicationError(
            "退出日期应在纳入日期之后、不晚于今天",
            "The date must fall between entry and today",
            field="on",
            code="out_of_range",
        )
    entry.left_on, entry.leave_reason, entry.left_by = on, reason, actor
    entry.save(update_fields=["left_on", "leave_reason", "left_by"])
    audit_record(
        actor=actor,
        action=VerificationEvent.MONITORING_LEAVE,
        target=entry,
        area_code=entry.area_code,
        household_id=entry.household_id,
        old={"tier": entry.tier},
        new={"reason": reason},
    )
    return entry


def household_moved(*, actor, household, old_area: str, new_area: str) -> None:
    """A household taken in by another township (benefits/transfers.py): its open register entries, alerts and
    discoveries move with it; a home visit given to a cadre of the township it left is given back (the new
    township gives it to one of its own)."""
    MonitoringEntry.objects.filter(household=household, left_on__isnull=True).update(
        area_code=new_area, assigned_to=None
    )
    Alert.objects.filter(household=household, state=AlertState.OPEN).update(area_code=new_area)
    Discovery.objects.filter(household=household, state=DiscoveryState.OPEN).update(
        area_code=new_area, assigned_to=None
    )
