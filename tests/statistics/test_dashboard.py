"""The dashboard reads precomputed snapshots, refreshed in the background (inline in tests), and says when they were
computed; its figures are the catalogue's and each links to its list."""

import datetime as dt

import pytest
from django.core.cache import cache

from doudi.statistics.dashboard import dashboard_data, snapshot_data, snapshots_compute, stale
from doudi.statistics.models import Snapshot
from doudi.statistics.tasks import snapshots_refresh

from .conftest import FEB, JAN, MAR

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 4, 15)


def test_snapshots_hold_the_catalogue_figures(county, monkeypatch):
    monkeypatch.setattr("doudi.statistics.tasks.timezone.localdate", lambda: TODAY)
    assert snapshots_refresh("511425", 2026) == 12
    snap = Snapshot.objects.get(prefix="511425", month=MAR)
    assert snap.data["DB0301000000"] == {"value": "850.00", "year_to_date": "2050.00"}
    assert snap.data["DB0101000000"] == {"value": 3, "year_to_date": None}
    assert Snapshot.objects.get(prefix="511425102", month=MAR).data["DB0102000000"]["value"] == 2
    snapshots_refresh("511425", 2026)  # recomputed and replaced, never doubled
    assert Snapshot.objects.count() == 12


def test_set_based_snapshots_equal_the_catalogue_indicator_by_indicator(county):
    """Two grouped queries for every area and month (the million-household path) give exactly what the catalogue
    gives indicator by indicator: the county, each township, everything, and an area below a township."""
    prefixes = ["", "511425", "511425101", "511425102", "511425101001"]
    months = [JAN, FEB, MAR, dt.date(2026, 4, 1)]
    got = snapshots_compute(prefixes, months)
    assert got == {(p, m): snapshot_data(p, m) for p in prefixes for m in months}
    assert got[("511425", MAR)]["TK0105000000"]["value"] == "50.0"  # T1 centralised, T2 at home
    assert got[("511425", FEB)]["DB0302100000"] == {"value": None, "year_to_date": "200.0"}  # H2 returned


def test_the_dashboard_data_for_a_year(county, monkeypatch):
    monkeypatch.setattr("doudi.statistics.tasks.timezone.localdate", lambda: TODAY)
    assert snapshots_refresh("511425", 2026) == 3 * 4  # county and two townships × January–April
    assert not stale("511425", [JAN, FEB, MAR])
    data = dashboard_data(county["people"]["county_reviewer"], "511425", 2026, today=TODAY)
    # April has nothing paid yet: not drawn as a fall to 0
    assert data["months"] == ["2026-01", "2026-02", "2026-03"]
    assert [r["DB0301000000"] for r in data["trend"]] == ["700.00", "500.00", "850.00"]
    assert [r["DB0302200000"] for r in data["per_capita"]][:3] == ["125.0", "125.0", "111.5"]
    assert data["compare_month"] == "2026-03"
    # every programme's money, month by month (conftest.py): March's temporary assistance was returned by the bank
    march = dict(zip(data["spending_codes"], data["spending"][2]["values"], strict=True))
    assert march == {
        "DB0301000000": "850.00",
        "TK0301000000": "1300.00",
        "LS0301000000": "0.00",
        "YL0301000000": "350.00",
        "GL0301000000": "100.00",
        "ET0301000000": "1200.00",
        "CJ0301000000": "80.00",
        "BZ0301000000": "2000.00",
        "YF0301000000": "1100.00",
    }
    assert data["spending"][2]["total"] == "6980.00"
    assert data["spending"][1]["values"][2] == "1000.00"  # February's temporary assistance to H4
    assert [(t["name"], t["DB0102000000"]) for t in data["townships"]] == [("汉阳镇", 4), ("瑞峰镇", 2)]
    assert data["complete"] and data["computed_at"]


def test_the_page_refreshes_what_is_missing_and_links_figures(county, client):
    cache.clear()  # no refresh of this area-year queued in the last five minutes (another test's page may have)
    client.force_login(county["people"]["county_reviewer"])
    page = client.get("/statistics/dashboard/", {"year": "2026"}).content.decode()
    assert Snapshot.objects.filter(prefix="511425", month=MAR).exists()  # computed by the (inline) worker
    assert "dashboard-data" in page and "vendor/echarts.min.js" in page
    assert "/statistics/DB0301000000/?month=2026-03" in page
    assert "各项目资金支出（按月）" in page and "/statistics/BZ0301000000/?month=2026-03" in page
    # a township's own dashboard: its figures only; another township's is not there
    client.force_login(county["people"]["caseworker_b"])
    page = client.get("/statistics/dashboard/", {"year": "2026"}).content.decode()
    assert "瑞峰镇" in page
    assert client.get("/statistics/dashboard/", {"year": "2026", "area": "511425101000"}).status_code == 404
    assert client.get("/statistics/dashboard/", {"year": "20x6"}).status_code == 400
