"""The case list counts cases (not states), and a deadline counted without an official calendar says why."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from doudi.cases.models import Case
from doudi.core.models import CalendarYear

from .conftest import walk

pytestmark = pytest.mark.django_db


def _tile(page: str, label: str) -> int:
    m = re.search(r"<b>(\d+)</b><span>" + label + "</span>", page)
    assert m, label
    return int(m.group(1))


def test_all_tile_counts_cases(apply, people, client_for):
    apply(programmes=("dibao", "tekun"))  # two cases, both waiting for acceptance: one state, two cases
    assert Case.objects.filter(state="draft").count() == 2
    page = client_for(people["caseworker_a"]).get("/cases/?queue=all").content.decode()
    assert _tile(page, "全部案件") == 2
    assert re.search(r"案件合计</td><td class=\"num\">2<", page)
    assert "全部（按状态）" not in page


def test_deadline_without_calendar_names_the_year(apply, people, client_for):
    CalendarYear.objects.filter(year=2026).delete()
    case = walk(apply().cases.first(), people, until="accepted")
    assert case.step_due_complete is False
    client = client_for(people["caseworker_a"])
    listing = client.get("/cases/?queue=all").content.decode()
    assert "2026年节假日安排尚未发布（或尚未载入），截止日按周末推算" in listing  # the ⚠'s title
    assert 'id="calendar-note"' in listing  # and a visible note above the list
    detail = client.get(f"/cases/{case.pk}/").content.decode()
    assert re.search(r"⚠ <small>2026年节假日安排尚未发布（或尚未载入），截止日按周末推算", detail)


def test_complete_deadline_has_no_warning(apply, people, client_for):
    case = walk(apply().cases.first(), people, until="accepted")
    assert case.step_due_complete is True
    listing = client_for(people["caseworker_a"]).get("/cases/?queue=all").content.decode()
    assert "节假日安排尚未发布" not in listing


def test_administrator_sees_calendar_years(people, client_for):
    next_year = timezone.localdate().year + 1
    CalendarYear.objects.filter(year__gte=next_year).delete()
    page = client_for(people["admin"]).get("/areas/").content.decode()
    years = list(CalendarYear.objects.order_by("year").values_list("year", flat=True))
    first, last = years[0], years[-1]
    assert f"{first}—{last}年" in page
    assert f"{next_year}年的节假日安排尚未载入" in page
    # a caseworker sees the areas but not the calendar's administration
    assert "节假日安排（计算工作日期限用）" not in client_for(people["caseworker_a"]).get("/areas/").content.decode()
