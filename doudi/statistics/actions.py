"""The only writers of the statistics app: targets entered by one county officer and approved by another."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import ensure_not_maker, perm_require
from doudi.audit.actions import audit_record
from doudi.core.errors import ApplicationError
from doudi.core.money import money_parse
from doudi.core.validation import DATE_MAX, DATE_MIN, id_or_none, int_clean, text_clean

from .catalogue import CATALOGUE
from .events import StatisticsEvent
from .models import Target, TargetStatus


def _county_staff(user) -> None:
    if len(user.scope_prefix) != 6:
        raise ApplicationError(
            "年度目标由县级工作人员录入和审批", "Targets are entered and approved by county staff", code="county_only"
        )


@transaction.atomic(durable=True)
def target_enter(*, actor, year, code: str, area_code: str, value, note: str = "") -> Target:
    """A county officer enters the year's target for an indicator in the county or one of its townships; it counts
    once another officer approves it."""
    perm_require(actor, Perm.TARGETS_EDIT)
    _county_staff(actor)
    year = int_clean(year, field="year", zh_label="年度", en_label="Year", minimum=DATE_MIN.year, maximum=DATE_MAX.year)
    ind = CATALOGUE.get(code or "")
    if ind is None or not ind.target_kind:
        raise ApplicationError(
            "此指标不设年度目标（可设目标的：" + "、".join(c for c, i in CATALOGUE.items() if i.target_kind) + "）",
            "This indicator takes no target (those that do: "
            + ", ".join(c for c, i in CATALOGUE.items() if i.target_kind)
            + ")",
            field="code",
            code="no_target",
        )
    area = scope.area_get(actor, area_code or "")
    if area.level not in ("county", "township"):
        raise ApplicationError(
            "年度目标只能按县或乡镇设定",
            "Targets are set for the county or a township",
            field="area",
            code="area_level",
        )
    amount = money_parse(value, field="value", zh_label="目标值", en_label="Target", positive=True)
    note = text_clean(note, field="note", zh_label="依据", en_label="Basis", max_length=200, required=False)
    target = Target.objects.create(
        year=year, code=ind.code, area=area, value=amount, note=note, created_by=actor, status=TargetStatus.DRAFT
    )
    audit_record(
        actor=actor,
        action=StatisticsEvent.TARGET_ENTER,
        target=target,
        area_code=area.code,
        new={"year": year, "code": ind.code, "area": area.code, "value": amount, "note": note},
    )
    return target


@transaction.atomic(durable=True)
def target_approve(*, actor, target_id) -> Target:
    """Another county officer approves a target (maker-checker); it replaces the approved one of the same year,
    indicator and area, if any."""
    perm_require(actor, Perm.TARGETS_APPROVE)
    _county_staff(actor)
    target = scope.get_actionable(
        actor, "statistics.Target", id_or_none(target_id), queryset=Target.objects.select_for_update()
    )
    if target.status != TargetStatus.DRAFT:
        raise ApplicationError("此目标已审批", "This target has already been decided", code="not_draft")
    ensure_not_maker(actor, target.created_by_id, what="target")
    old = Target.objects.filter(
        year=target.year, code=target.code, area=target.area, status=TargetStatus.APPROVED
    ).first()
    if old is not None:
        old.status = TargetStatus.SUPERSEDED
        old.save(update_fields=["status"])
    target.status, target.approved_by, target.approved_at = TargetStatus.APPROVED, actor, timezone.now()
    target.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(
        actor=actor,
        action=StatisticsEvent.TARGET_APPROVE,
        target=target,
        area_code=target.area_id,
        old={"value": old.value} if old else None,
        new={"year": target.year, "code": target.code, "area": target.area_id, "value": target.value},
    )
    return target
