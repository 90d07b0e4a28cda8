"""The low-income population register (低收入人口动态监测): each household by tier — dibao, tekun, edge families,
households with heavy rigid expenses, households monitored against falling back into poverty — with when and
why it entered and left [domain.md §6; 民政部《关于加强低收入人口动态监测做好分层分类社会救助工作的意见》 (2023)].

The dibao and tekun tiers follow the enrolments (``monitoring_sync``: an enrolment in payment enters its
household, an enrolment ended leaves it, the reason saying which); the other three tiers are entered and left by
the township with a reason, often after a discovery visit. Every entry and exit is audited; departments' loads
are matched against everyone on the register."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import get_actionable, household_get, perm_require, visible
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.cases.models import Enrolment
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict
from doudi.core.validation import text_clean

from .alerts import IN_PAYMENT
from .events import VerificationEvent
from .models import ENROLLED_TIERS, MonitoringEntry, Tier
from .report import both

MANUAL_TIERS = [t for t in Tier.values if t not in ENROLLED_TIERS]


def _reason(value: str, field: str) -> str:
    return text_clean(value, field=field, zh_label="原因", en_label="Reason", max_length=200, required=True)


@action
def monitoring_sync(*, actor, on: dt.date | None = None, area_prefix: str | None = None) -> dict:
    """Bring the dibao and tekun tiers of the account's area in line with the enrolments: a household with an
    enrolment in payment and no open entry enters; an open entry whose household has none left leaves.
    ``area_prefix`` only for a system run (the demo county's, with no actor)."""
    if actor is not None:
        perm_require(actor, Perm.DISCOVERY_VISIT)
        enrolments = visible(actor, "cases.Enrolment", act=True)
        entries = visible(actor, "verification.MonitoringEntry", act=True)
        area_prefix = actor.scope_prefix
    elif area_prefix:
        enrolments = Enrolment.objects.filter(area_code__startswith=area_prefix)
        entries = MonitoringEntry.objects.filter(area_code__startswith=area_prefix)
    else:
        raise ApplicationError("请指定区划", "An area is required", field="area", code="required")
    on = on or timezone.localdate()
    paying = {}
    for e in enrolments.filter(status__in=IN_PAYMENT, programme_id__in=ENROLLED_TIERS).order_by("start_month", "id"):
        paying.setdefault((e.household_id, e.programme_id), e)
    open_entries = {
        (m.household_id, m.tier): m
        for m in entries.filter(tier__in=ENROLLED_TIERS, left_on__isnull=True).select_for_update().order_by("pk")
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
    left = 0
    for key, m in open_entries.items():
        if key in paying:
            continue
        ended = (
            Enrolment.objects.filter(household_id=m.household_id, programme_id=m.tier).order_by("-id").first()
            if m.enrolment_id is None
            else m.enrolment
        )
        when = ended.end_month if ended and ended.end_month else on
        m.left_on = max(min(when, on), m.entered_on)
        m.leave_reason = both(
            f"{Tier(m.tier).label}终止保障{f'（最后发放月 {ended.end_month:%Y-%m}）' if ended and ended.end_month else ''}",
            "Enrolment ended",
        )
        m.left_by = actor
        m.save(update_fields=["left_on", "leave_reason", "left_by"])
        left += 1
    if entered or left:
        audit_record(
            actor=actor,
            action=VerificationEvent.MONITORING_SYNC,
            kind=EventKind.BATCH,
            target_type="batch",
            label="低收入人口名单更新",
            area_code=area_prefix.ljust(12, "0")[:12],
            new={"entered": len(entered), "left": left},
        )
    return {"entered": len(entered), "left": left}


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
