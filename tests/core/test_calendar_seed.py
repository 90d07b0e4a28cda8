"""The official calendar survives a flush: `flush` (run by `doudi flush`, and by the test suite after every
transactional test) empties every table and then tells the apps as `migrate` does; a database with no calendar at
all gets the chinese-calendar library's again, while one whose administrator loaded years is left as it is."""

import datetime as dt

import pytest
from django.core.management import call_command

from doudi.core.models import CalendarDay, CalendarYear
from doudi.core.workdays import WorkCalendar, add_working_days, calendar_seed_if_empty


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_counts_working_days_on_the_official_calendar_again():
    assert CalendarYear.objects.filter(year=2026).exists()
    call_command("flush", interactive=False, verbosity=0)
    assert CalendarYear.objects.filter(year=2026).exists()
    # National Day 2026 is 1–7 October and Saturday 10 October is worked: 5 working days after Monday 28
    # September are 29 and 30 September, 8, 9 and 10 October (weekends alone would have said Monday 5 October)
    due = add_working_days(dt.date(2026, 9, 28), 5, WorkCalendar.load())
    assert (due.due, due.calendar_complete) == (dt.date(2026, 10, 10), True)


@pytest.mark.django_db
def test_a_database_with_a_calendar_is_left_as_its_administrator_keeps_it():
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    assert calendar_seed_if_empty() == 0
    assert not CalendarYear.objects.filter(year=2026).exists()
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    assert calendar_seed_if_empty() > 20 and CalendarYear.objects.filter(year=2026).exists()
