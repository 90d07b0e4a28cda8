"""The enrolment list as .xlsx, as staff keep it in Excel: one row per enrolment with the area, the household's
head (or the person, for a programme paid per person), the programme, status, amount and dates. No ID or bank
account numbers, so nothing is decrypted; who downloaded which list is in the audit trail."""

from __future__ import annotations

import io

from django.db import transaction
from django.utils import translation
from openpyxl import Workbook

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.core.cells import xlsx_row
from doudi.core.fields import sealed_fields
from doudi.programmes.shapes import ONE_OFF_PROGRAMMES
from doudi.registry.models import Household, Membership, Person

from .audit_actions import AuditAction
from .models import ONE_OFF_STATES, EnrolmentStatus

HEADER = ["编号", "区划代码", "乡镇（街道）", "村（社区）", "项目", "户主", "保障对象", "状态", "发放方式",
          "发放金额（元）", "保障人数", "起始月", "最后发放月", "下次复核"]  # fmt: skip


def enrolments_xlsx(*, actor, enrolments, filters: dict) -> tuple[bytes, int]:
    """``enrolments``: an area-scoped queryset (the list page's search). Returns the file and its row count."""
    perm_require(actor, Perm.REGISTRY_EXPORT)
    qs = (
        enrolments.select_related("programme", "household__area__parent", "person")
        .defer(*sealed_fields(Household, "household"), *sealed_fields(Person, "person"))
        .order_by("area_code", "id")
    )
    heads = dict(
        Membership.objects.filter(household__in=enrolments.values("household"), relation="head", end_date__isnull=True)
        .values_list("household_id", "person__name")
        .iterator(chunk_size=5000)
    )
    once = ONE_OFF_PROGRAMMES
    with translation.override("zh-hans"):
        statuses = {v: str(label) for v, label in EnrolmentStatus.choices}
        one_off = {v: str(label) for v, label in ONE_OFF_STATES.items()}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("保障对象")
    for column, width in zip("ABCDEFGHIJKLMN", (8, 14, 14, 14, 16, 10, 10, 10, 9, 14, 9, 10, 11, 12), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    ws.append(HEADER)
    count = 0
    for e in qs.iterator(chunk_size=2000):
        village = e.household.area
        township = village.parent if village.level == "village" else village
        ws.append(
            xlsx_row(
                ws,
                [
                    e.pk,
                    e.area_code,
                    township.name if township else "",
                    village.name if village.level == "village" else "",
                    e.programme.name_zh,
                    heads.get(e.household_id, ""),
                    e.person.name if e.person_id else heads.get(e.household_id, ""),
                    (one_off if e.programme_id in once else statuses).get(e.status, e.status),
                    "一次性" if e.programme_id in once else "每月",
                    e.monthly_amount,
                    e.counted_members,
                    e.start_month.strftime("%Y-%m"),
                    e.end_month.strftime("%Y-%m") if e.end_month else "",
                    "" if e.programme_id in once else e.next_review_due.isoformat(),
                ],
            )
        )
        count += 1
    out = io.BytesIO()
    wb.save(out)
    # the filters, but not what was searched for (a name or an ID number is personal data): only that there was one
    said = {k: v for k, v in filters.items() if v and k != "q"} | (
        {"q": "（已按姓名或证件号查询）"} if filters.get("q") else {}
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENT_EXPORT,
            kind=EventKind.ACCESS,
            target_type="export",
            label=f"保障对象名单 {count} 行 / enrolment list, {count} rows",
            new={"rows": count, "filters": said},
            area_code=actor.area_id or "",
        )
    return out.getvalue(), count
