"""The official holiday calendar as reference data the administrator loads, like the areas (both need
``areas.manage``). Working days are counted by doudi/core/workdays.py."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.db import transaction

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.audit.actions import audit_record
from doudi.core.errors import ApplicationError
from doudi.core.models import CalendarDay, CalendarYear

from .events import AreaEvent


def calendar_year_load(*, actor, year: int, text: str, source: str = "") -> int:
    """Load (or replace) one year's official calendar from CSV ``date,kind,name`` (kind: holiday/workday, or
    休/班). All rows or none; each bad row is named."""
    if actor is not None:
        perm_require(actor, Perm.AREAS_MANAGE)
    if len(source) > 200:
        raise ApplicationError(
            "来源说明最多200个字", "The source is at most 200 characters", field="source", code="too_long"
        )
    kinds = {"holiday": "holiday", "workday": "workday", "休": "holiday", "班": "workday", "假": "holiday"}
    rows, errors = [], []
    reader = csv.reader(io.StringIO(text))
    try:
        lines = list(reader)
    except csv.Error:
        raise ApplicationError(
            f"日历文件第{reader.line_num}行无法读取",
            f"Row {reader.line_num} of the calendar cannot be read",
            field="file",
            code="bad_file",
        ) from None
    if len(lines) > 1000:
        raise ApplicationError(
            "日历文件最多1000行", "A calendar file has at most 1000 rows", field="file", code="too_many_rows"
        )
    for n, row in enumerate(lines, start=1):
        if not row or not "".join(row).strip() or row[0].strip().lower() == "date":
            continue
        try:
            day = dt.date.fromisoformat(row[0].strip())
        except ValueError:
            errors.append(f"第{n}行：日期无效 {row[0]!r} / row {n}: invalid date")
            continue
        kind = kinds.get(row[1].strip() if len(row) > 1 else "")
        if kind is None:
            errors.append(f"第{n}行：类型应为 holiday/workday（休/班） / row {n}: kind must be holiday or workday")
            continue
        if day.year != year:
            errors.append(f"第{n}行：{day} 不属于 {year} 年 / row {n}: {day} is not in {year}")
            continue
        if kind == "workday" and day.weekday() < 5:
            errors.append(f"第{n}行：{day} 是工作日，无需调休 / row {n}: {day} is already a weekday")
            continue
        name = row[2].strip() if len(row) > 2 else ""
        if len(name) > 60:
            errors.append(f"第{n}行：名称最多60个字 / row {n}: the name is at most 60 characters")
            continue
        rows.append(CalendarDay(date=day, kind=kind, name=name))
    if errors:
        raise ApplicationError(
            "日历文件有错误，未载入：\n"
            + "\n".join(errors[:50])
            + (f"\n…（共{len(errors)}处）" if len(errors) > 50 else ""),
            "The calendar file has errors; nothing loaded",
            field="file",
            code="bad_rows",
            extra={"errors": errors},
        )
    if not rows:
        raise ApplicationError("文件中没有日期", "The file has no dates", field="file", code="empty")
    with transaction.atomic():
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(rows)
        CalendarYear.objects.update_or_create(year=year, defaults={"source": source or "uploaded", "loaded_by": actor})
        audit_record(
            actor=actor,
            action=AreaEvent.CALENDAR_LOAD,
            target_type="calendar",
            target_id=year,
            label=f"{year} 年节假日安排",
            new={"year": year, "days": len(rows), "source": source},
        )
    return len(rows)
