"""Home visits of active discovery and of the low-income register (主动发现走访, 动态监测走访): the township gives
each visit to one of its own village cadres and may give it to another, with the reason; every giving is kept
(``VisitAssignment``) and audited. The cadre's home page shows the visits due; a register visit is recorded on
the entry (the discovery's visit is ``discovery.discovery_visit``) [domain.md §6; 民政部《关于加强低收入人口动态
监测做好分层分类社会救助工作的意见》 (2023): 定期走访].
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from doudi.accounts.models import Staff
from doudi.accounts.roles import Perm, Role
from doudi.accounts.scope import get_actionable, perm_require, visible
from doudi.audit.actions import audit_record
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict
from doudi.core.validation import text_clean
from doudi.core.workdays import add_working_days

from .events import VerificationEvent
from .models import Discovery, DiscoveryState, MonitoringEntry, VisitAssignment

VISIT_WORKING_DAYS = 10  # a register visit given without a date is due within ten working days


def township_cadres(actor, area_code: str) -> list[Staff]:
    """The active village cadres the account may give the visit of a household in ``area_code`` to: of the same
    township, and able to see the household (their own area holds it: a cadre of another village would be sent to
    a family whose file they may not open)."""
    cadres = (
        visible(actor, "accounts.Staff", act=True)
        .filter(role=Role.VILLAGE_CADRE, is_active=True, area__code__startswith=area_code[:9])
        .select_related("area")
        .order_by("area__code", "id")
    )
    return [c for c in cadres if area_code.startswith(c.scope_prefix)]


def _cadre(actor, area_code: str, cadre_id) -> Staff:
    cadre = next((c for c in township_cadres(actor, area_code) if c.pk == cadre_id), None) if cadre_id else None
    if cadre is None:
        raise ApplicationError(
            "走访人只能是本乡镇（街道）该户所在村（社区）在岗的村（社区）干部",
            "The visitor must be an active cadre of the household's own village in the same township",
            field="cadre",
            code="not_village_cadre",  # a rule about this household, not a malformed value
        )
    return cadre


@action
def visit_assign(
    *,
    actor,
    cadre_id: int,
    reason: str,
    discovery_id: int | None = None,
    entry_id: int | None = None,
    visit_due: dt.date | None = None,
) -> VisitAssignment:
    """Give an open discovery's or an open register entry's home visit to a village cadre of its township (a
    first assignment, or another cadre), with the reason; the deadline stays unless a new one is given (a register
    entry without one gets ten working days)."""
    perm_require(actor, Perm.DISCOVERY_ASSIGN)
    if (discovery_id is None) == (entry_id is None):
        raise ApplicationError("请指定走访线索或监测对象", "Name a discovery or a register entry", field="target")
    if discovery_id is not None:
        target = get_actionable(
            actor, "verification.Discovery", discovery_id, queryset=Discovery.objects.select_for_update()
        )
        if target.state != DiscoveryState.OPEN:
            raise Conflict("该线索已登记走访结果", "This discovery's visit is already recorded", field="discovery")
    else:
        target = get_actionable(
            actor, "verification.MonitoringEntry", entry_id, queryset=MonitoringEntry.objects.select_for_update()
        )
        if target.left_on:
            raise Conflict("该户已退出监测", "The household has left the register", field="entry")
    cadre = _cadre(actor, target.area_code, cadre_id)
    if cadre.pk == target.assigned_to_id:
        raise Conflict("已指派给该走访人", "Already given to this cadre", field="cadre")
    reason = text_clean(reason, field="reason", zh_label="调整原因", en_label="Reason", max_length=200, required=True)
    today = timezone.localdate()
    if visit_due is not None and visit_due < today:
        raise ApplicationError(
            "走访期限不能早于今天", "The visit cannot be due before today", field="visit_due", code="out_of_range"
        )
    due = visit_due or target.visit_due or add_working_days(today, VISIT_WORKING_DAYS).due
    previous = target.assigned_to
    target.assigned_to, target.visit_due = cadre, due
    target.save(update_fields=["assigned_to", "visit_due"])
    assignment = VisitAssignment.objects.create(
        discovery=target if discovery_id is not None else None,
        entry=target if entry_id is not None else None,
        area_code=target.area_code,
        from_cadre=previous,
        to_cadre=cadre,
        visit_due=due,
        reason=reason,
        assigned_by=actor,
    )
    audit_record(
        actor=actor,
        action=VerificationEvent.VISIT_ASSIGN,
        target=target,
        area_code=target.area_code,
        household_id=target.household_id,
        old={"from_cadre": str(previous) if previous else None},
        new={"to_cadre": str(cadre), "visit_due": due, "reason": reason},
    )
    return assignment


@action
def monitoring_visit(*, actor, entry_id: int, note: str, visited_on: dt.date | None = None) -> MonitoringEntry:
    """Record a register household's home visit (the cadre it was given to, or the township): what the visit
    found; the visit is then no longer due."""
    perm_require(actor, Perm.DISCOVERY_VISIT)
    entry = get_actionable(
        actor, "verification.MonitoringEntry", entry_id, queryset=MonitoringEntry.objects.select_for_update()
    )
    if entry.left_on:
        raise Conflict("该户已退出监测", "The household has left the register", field="entry")
    if actor.role == Role.VILLAGE_CADRE and entry.assigned_to_id not in (None, actor.pk):
        raise ApplicationError(
            "该户的走访已指派给其他村（社区）干部",
            "This visit is given to another cadre",
            field="entry",
            code="not_assigned",
        )
    note = text_clean(
        note, field="note", zh_label="走访情况", en_label="What the visit found", max_length=200, required=True
    )
    visited_on = visited_on or timezone.localdate()
    if visited_on > timezone.localdate() or visited_on < entry.entered_on:
        raise ApplicationError(
            "走访日期应在纳入监测之后、不晚于今天",
            "The visit date must fall between the entry and today",
            field="visited_on",
            code="out_of_range",
        )
    entry.visited_on, entry.visit_note, entry.visit_due = visited_on, note, None
    entry.save(update_fields=["visited_on", "visit_note", "visit_due"])
    audit_record(
        actor=actor,
        action=VerificationEvent.MONITORING_VISIT,
        target=entry,
        area_code=entry.area_code,
        household_id=entry.household_id,
        new={"visited_on": visited_on, "note": note},
    )
    return entry


def visit_history(actor, *, discovery=None, entry=None) -> list[VisitAssignment]:
    """Who was given the visit, by whom and why, newest first (within the account's area)."""
    qs = visible(actor, "verification.VisitAssignment")
    qs = qs.filter(discovery=discovery) if discovery is not None else qs.filter(entry=entry)
    return list(qs.select_related("from_cadre", "to_cadre", "assigned_by").order_by("-id"))
