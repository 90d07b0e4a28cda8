"""Working days under China's official calendar (holidays and make-up working days), from the database.

The calendar is seeded from the maintained `chinese-calendar` library (2004–2026 in its current release); the
administrator loads the State Council's calendar for each new year (CSV: date,kind,name). A deadline that
crosses a year with no calendar loaded is still computed (weekends only) but flagged ``calendar_complete=False``
— never silently counted as weekends only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import ApplicationError
from .models import CalendarDay, CalendarYear

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    years: frozenset[int]

    @classmethod
    def load(cls) -> WorkCalendar:
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
    if n < 0:
        raise ApplicationError("工作日数不能为负", "Working days cannot be negative", field="working_days")
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
