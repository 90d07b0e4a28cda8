"""Working days under China's official calendar (holidays and make-up working days), from the database.

The calendar is seeded from the maintained `chinese-calendar` library (2004–2026 in its current release); the
administrator loads the State Council's calendar for each new year (CSV: date,kind,name). A deadline that
crosses a year with no calendar loaded is still computed (weekends only) but flagged ``calendar_complete=False``
— never silently counted as weekends only.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass

from chinese_calendar import constants

from .errors import ApplicationError
from .models import CalendarDay, CalendarYear
from .validation import date_range_check

ONE_DAY = dt.timedelta(days=1)
# The longest time limit counted in working days (a year has about 250); a start date must lie in
# DATE_MIN..DATE_MAX. Both are refused beyond that, naming the limit, before any day is counted.
MAX_WORKING_DAYS = 250


def calendar_seed_if_empty(using: str = "default") -> int:
    """Seed the official calendar from the chinese-calendar library when no year at all is loaded (a new or just
    flushed database); a database with any year loaded is left as its administrator keeps it. Returns the years
    seeded."""
    if CalendarYear.objects.using(using).exists():
        return 0
    years = sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})
    rows = [CalendarDay(date=d, kind="holiday", name=str(n)) for d, n in constants.holidays.items()]
    rows += [CalendarDay(date=d, kind="workday", name=str(n)) for d, n in constants.workdays.items()]
    CalendarDay.objects.using(using).bulk_create(rows, ignore_conflicts=True)
    CalendarYear.objects.using(using).bulk_create(
        [CalendarYear(year=y, source="chinese-calendar library") for y in years], ignore_conflicts=True
    )
    return len(years)


_pinned: list[WorkCalendar] = []  # the calendars of the pinned() blocks now open in this process


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    years: frozenset[int]

    @classmethod
    def load(cls) -> WorkCalendar:
        if _pinned:
            return _pinned[-1]
        days = list(CalendarDay.objects.values_list("date", "kind"))
        return cls(
            frozenset(d for d, k in days if k == "holiday"),
            frozenset(d for d, k in days if k == "workday"),
            frozenset(CalendarYear.objects.values_list("year", flat=True)),
        )

    @classmethod
    @contextmanager
    def pinned(cls):
        """Within the block, ``load()`` returns the calendar as it was when the block began, read once: for a
        long batch of moves (the demo's history: thousands) that loads no calendar meanwhile. Nothing else
        should be pinned: the administrator may load a year's calendar at any time."""
        _pinned.append(cls.load())
        try:
            yield _pinned[-1]
        finally:
            _pinned.pop()

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


def calendar_years() -> frozenset[int]:
    """The years whose official calendar is loaded."""
    return frozenset(CalendarYear.objects.values_list("year", flat=True))


def years_missing(start: dt.date | None, end: dt.date | None, years: frozenset[int]) -> tuple[int, ...]:
    """The years from ``start`` to ``end`` whose official calendar is not loaded (a deadline across them is
    counted with weekends only)."""
    if end is None:
        return ()
    first = min(start or end, end).year
    return tuple(y for y in range(first, end.year + 1) if y not in years)


def working_days_between(start: dt.date, end: dt.date, calendar: WorkCalendar | None = None) -> int:
    """Working days after ``start`` up to and including ``end``."""
    cal = calendar or WorkCalendar.load()
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += cal.is_workday(day)
    return count
