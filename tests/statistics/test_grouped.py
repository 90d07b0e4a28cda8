"""The set-based figures (``grouped``: every indicator for many areas in a few grouped queries) equal each
indicator's own computation (``Indicator.compute``, area by area) for every indicator, area and month of the
hand-built county, value, previous month and year to date; and their query count does not grow with the areas."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doudi.statistics.catalogue import CATALOGUE, Context
from doudi.statistics.grouped import figures_by_area
from doudi.statistics.selectors import context_for, figure, figures_of_areas

from .conftest import FEB, JAN, MAR

pytestmark = pytest.mark.django_db

AREAS = ["", "511425", "511425101", "511425102", "511425101201", "511425102201", "511425101001", "511425103"]


def _per_indicator(ctx: Context, month: dt.date) -> dict:
    out = {}
    for code, ind in CATALOGUE.items():
        f = figure(ctx, ind, month)
        out[code] = (f.value, f.previous, f.year_to_date)
    return out


@pytest.mark.parametrize("month", [JAN, FEB, MAR, dt.date(2026, 4, 1)])
def test_grouped_equals_the_catalogue_for_every_area(county, month):
    got = figures_by_area(Context(None, ""), AREAS, month)
    for prefix in AREAS:
        expected = _per_indicator(Context(None, prefix), month)
        for code in CATALOGUE:
            value, previous, ytd = got[prefix][code]
            if not CATALOGUE[code].cumulative:
                ytd = None
            assert (value, previous, ytd) == expected[code], (prefix, code)
            # the same types (an integer count stays an integer, an amount a Decimal), as the JSON prints them
            assert [type(v) for v in (value, previous, ytd)] == [type(v) for v in expected[code]], (prefix, code)


def test_grouped_for_a_township_account_stays_in_its_township(county):
    staff = county["people"]["caseworker_a"]  # 汉阳镇
    ctx = context_for(staff)
    got = figures_by_area(ctx, [ctx.prefix], MAR)[ctx.prefix]
    expected = _per_indicator(ctx, MAR)
    for code in CATALOGUE:
        value, previous, ytd = got[code]
        assert (value, previous, ytd if CATALOGUE[code].cumulative else None) == expected[code], code
    assert got["DB0101000000"][0] == 2  # H1 and H2; 瑞峰镇's H3 is not counted


def test_queries_do_not_grow_with_the_areas(county):
    ctx = Context(None, "511425")
    with CaptureQueriesContext(connection) as one:
        figures_of_areas(ctx, ["511425"], MAR)
    with CaptureQueriesContext(connection) as three:
        figures_of_areas(ctx, ["511425", "511425101", "511425102"], MAR)
    # only the standards (read per area, cached in-process by the parameters' selector) may add queries
    grew = [q["sql"] for q in three.captured_queries if "programmes_" not in q["sql"]]
    base = [q["sql"] for q in one.captured_queries if "programmes_" not in q["sql"]]
    assert len(grew) == len(base), (len(base), len(grew))
    assert len(base) < 45


def test_the_figures_page_reads_the_snapshot_and_says_when(county, client, monkeypatch):
    from django.core.cache import cache

    from doudi.statistics.models import Snapshot
    from doudi.statistics.selectors import figures, figures_from_snapshot
    from doudi.statistics.tasks import snapshots_refresh

    monkeypatch.setattr("doudi.statistics.tasks.timezone.localdate", lambda: dt.date(2026, 4, 15))
    reviewer = county["people"]["county_reviewer"]
    assert figures_from_snapshot(reviewer, MAR) is None  # nothing computed yet: the page computes
    snapshots_refresh("511425", 2026)
    snap = Snapshot.objects.get(prefix="511425", month=MAR)
    assert snap.figures["DB0301000000"] == {"value": "850.00", "previous": "500.00", "year_to_date": "2050.00"}
    items, computed_at = figures_from_snapshot(reviewer, MAR)
    assert computed_at == snap.computed_at
    live = figures(reviewer, MAR)
    assert [(f.indicator.code, f.value, f.previous, f.year_to_date, f.target) for f in items] == [
        (f.indicator.code, f.value, f.previous, f.year_to_date, f.target) for f in live
    ]
    # a township's staff read their township's snapshot
    items, _at = figures_from_snapshot(county["people"]["caseworker_b"], MAR)
    assert {f.indicator.code: f.value for f in items}["DB0102000000"] == 2

    cache.clear()
    client.force_login(reviewer)
    page = client.get("/statistics/", {"month": "2026-03"}).content.decode()
    assert "后台于" in page and "按当前数据重新计算" in page and ">850.00<" in page
    page = client.get("/statistics/", {"month": "2026-03", "live": "1"}).content.decode()
    assert "后台于" not in page and "按当前数据即时计算" in page and ">850.00<" in page
    # a payroll approved after the snapshot: it is stale, the page computes again
    Snapshot.objects.filter(pk=snap.pk).update(computed_at=snap.computed_at - dt.timedelta(days=3650))
    assert figures_from_snapshot(reviewer, MAR) is None
