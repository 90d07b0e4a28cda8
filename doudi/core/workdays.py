"""Working days under China's official calendar (holidays and make-up working days), from the database.

The calendar is seeded from the maintained `chinese-calendar` library (2004–2026 in its current release); the
administrator loads the State Council's calendar for each new year (CSV: date,kind,name). A deadline that
crosses a year with no calendar loaded is still computed (weekends only) but flagged ``calendar_complete=False``
— never silently counted as weekends only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.db import transaction

from .errors import ApplicationError
from .validation import date_range_check

ONE_DAY = dt.timedelta(days=1)
# The longest time limit counted in working days (a year has about 250); a start date must lie in
# DATE_MIN..DATE_MAX. Both are refused beyond that, naming the limit, before any day is counted.
MAX_WORKING_DAYS = 250


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    years: frozenset[int]

    @classmethod
    def load(cls) -> "WorkCalendar":
        from .models import CalendarDay, CalendarYear

        days = list(CalendarDay.objects.values_list("date", "kind"))
        return cls(
            frozenset(d for d, k in days if k == "holiday"),
            frozenset(d for d, k in days if k == "workday"),
            frozenset(CalendarYear.objects.values_list("year", flat=True)),
        )

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


@dataclass(frozen=True)
class Due:
    due: dt.date
    calendar_complete: bool
    missing_years: tuple[int, ...] = ()

    def as_dict(self) -> dict:
        return {"due": self.due.isoformat(), "calendar_complete": self.calendar_complete}


def add_working_days(start: dt.date, n: int, calendar: WorkCalendar | None = None) -> Due:
    """The Nth working day after ``start`` (the day itself not counted)."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_WORKING_DAYS:
        raise ApplicationError(
            f"工作日数应在 0 至 {MAX_WORKING_DAYS} 之间",
            f"Working days must be from 0 to {MAX_WORKING_DAYS}",
            field="working_days",
            code="out_of_range",
        )
    date_range_check(start, field="start", zh_label="起算日期", en_label="Start date")
    cal = calendar or WorkCalendar.load()
    day, counted, missing = start, 0, set()
    while counted < n:
        day += ONE_DAY
        if day.year not in cal.years:
            missing.add(day.year)
        if cal.is_workday(day):
            counted += 1
    if n == 0 and start.year not in cal.years:
        missing.add(start.year)
    return Due(day, not missing, tuple(sorted(missing)))


def working_days_between(start: dt.date, end: dt.date, calendar: WorkCalendar | None = None) -> int:
    """Working days after ``start`` up to and including ``end``."""
    cal = calendar or WorkCalendar.load()
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += cal.is_workday(day)
    return count


@transaction.atomic
def calendar_seed_from_library(years: range | None = None) -> list[int]:
    """Load every year the chinese-calendar library knows (or ``years``) that is not loaded yet."""
    from chinese_calendar import constants

    from .models import CalendarDay, CalendarYear

    known = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    wanted = sorted(y for y in known if years is None or y in years)
    loaded = set(CalendarYear.objects.values_list("year", flat=True))
    added = []
    for year in wanted:
        if year in loaded:
            continue
        rows = [
            CalendarDay(date=d, kind="holiday", name=str(n)) for d, n in constants.holidays.items() if d.year == year
        ]
        rows += [
            CalendarDay(date=d, kind="workday", name=str(n)) for d, n in constants.workdays.items() if d.year == year
        ]
        CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
        CalendarYear.objects.create(year=year, source="chinese-calendar library")
        added.append(year)
    return added


def calendar_year_load(*, actor, year: int, text: str, source: str = "") -> int:
    """Load (or replace) one year's official calendar from CSV ``date,kind,name`` (kind: holiday/workday, or
    休/班). All rows or none; each bad row is named."""
    from doudi.accounts.roles import Perm
    from doudi.accounts.scope import perm_require
    from doudi.audit.actions import audit_record

    from .models import CalendarDay, CalendarYear

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
            action="calendar.load",
            target_type="calendar",
            target_id=year,
            label=f"{year} 年节假日安排",
            new={"year": year, "days": len(rows), "source": source},
        )
    return len(rows)
