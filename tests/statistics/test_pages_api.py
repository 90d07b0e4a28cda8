"""The figures page with the list behind each figure, the targets page, and /api/v1/indicators in JSON and CSV."""

import csv
import datetime as dt
import io

import pytest

from doudi.statistics.models import Target, TargetStatus

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_figures_and_links_each_to_its_list(county, client):
    client.force_login(county["people"]["approver"])
    page = client.get("/statistics/", {"month": "2026-03"}).content.decode()
    # money grouped by thousands as the bureau reads it (the year's 2,050.00), a month's 850.00 as it is
    assert "DB0301000000" in page and ">850.00<" in page and ">2,050.00<" in page and ">2050.00<" not in page
    assert "/statistics/DB0101000000/?month=2026-03" in page
    listed = client.get("/statistics/DB0101000000/", {"month": "2026-03"}).content.decode()
    for name in ("王一户", "赵二户", "孙三户"):
        assert name in listed
    assert "吴四户" not in listed  # ended in February
    ytd = client.get("/statistics/DB0301000000/", {"month": "2026-03", "ytd": "1"}).content.decode()
    assert "<b>2,050.00</b>" in ytd and "吴四户" in ytd
    # the previous month's figure links to the previous month's list: February's roll had 吴四户
    assert '/statistics/DB0101000000/?month=2026-02">3</a>' in page
    assert "吴四户" in client.get("/statistics/DB0101000000/", {"month": "2026-02"}).content.decode()


def test_the_dashboard_s_spending_total_links_to_every_programme_s_payments(county, client, monkeypatch):
    from doudi.statistics.tasks import snapshots_refresh

    monkeypatch.setattr("doudi.statistics.tasks.timezone.localdate", lambda: dt.date(2026, 4, 15))
    snapshots_refresh("511425", 2026)
    client.force_login(county["people"]["approver"])
    page = client.get("/statistics/dashboard/", {"year": "2026"}).content.decode()
    assert '/statistics/FF0201000000/?month=2026-03">6,980.00</a>' in page
    listed = client.get("/statistics/FF0201000000/", {"month": "2026-03"}).content.decode()
    # the lines of every programme paid in March: dibao, tekun, the funeral waiver paid to the home, medical…
    for name in ("王一户", "郑五户", "孙三户", "赵二户"):
        assert name in listed
    # each line says whose payment it is: the programme, the month, the people
    assert "最低生活保障 · 2026-03 · " in listed and "特困人员救助供养 · 2026-03 · 1人" in listed


def test_a_sub_item_s_list_says_what_it_is_part_of_and_an_open_case_has_no_decision_date(county, client):
    client.force_login(county["people"]["approver"])
    listed = client.get("/statistics/SQ0104200000/", {"month": "2026-03"}).content.decode()
    # C3, accepted on 10 March, surveyed on the 25th, still open at the month's end
    assert "<h1>月末在办申请：调查核对中 <code" in listed and "其中：" not in listed
    assert "受理 2026-03-10" in listed and "→" not in listed and "决定" not in listed


def test_a_township_page_shows_only_its_own(county, client):
    client.force_login(county["people"]["caseworker_b"])
    listed = client.get("/statistics/DB0101000000/", {"month": "2026-03"}).content.decode()
    assert "孙三户" in listed and "王一户" not in listed
    assert client.get("/statistics/", {"month": "2026-03", "area": "511425101000"}).status_code == 404
    assert client.get("/statistics/", {"month": "2026-13"}).status_code == 400


def test_targets_are_entered_and_approved_on_the_page(county, client):
    p = county["people"]
    client.force_login(p["county_reviewer"])
    r = client.post(
        "/statistics/targets/", {"year": "2026", "code": "DB0302100000", "area": "511425000000", "value": "220"}
    )
    assert r.status_code == 302
    bad = client.post(
        "/statistics/targets/", {"year": "2026", "code": "DB0302100000", "area": "511425000000", "value": "x"}
    )
    assert "目标值" in bad.content.decode() and Target.objects.count() == 1
    t = Target.objects.get()
    client.force_login(p["approver"])
    assert "批准" in client.get("/statistics/targets/").content.decode()
    assert client.post(f"/statistics/targets/{t.pk}/approve/").status_code == 302
    t.refresh_from_db()
    assert t.status == TargetStatus.APPROVED
    page = client.get("/statistics/", {"month": "2026-03"}).content.decode()
    assert "220.00" in page and "90.9" in page


def test_the_api_gives_json_and_csv(county, client):
    client.force_login(county["people"]["auditor"])
    data = client.get("/api/v1/indicators", {"month": "2026-03"}).json()
    assert data["DB0301000000"]["value"] == "850.00" and data["DB0101000000"]["value"] == 3
    r = client.get("/api/v1/indicators", {"month": "2026-03", "area": "511425102000", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    by_code = {row["code"]: row for row in rows}
    assert by_code["DB0102000000"]["value"] == "2" and by_code["DB0301000000"]["year_to_date"] == "150.00"
    r = client.post(
        "/api/v1/targets",
        {"year": 2026, "code": "DB0302200000", "area": "511425000000", "value": "120.00"},
        content_type="application/json",
    )
    assert r.status_code == 403  # the auditor reads the figures and enters no targets
    client.force_login(county["people"]["county_reviewer"])
    r = client.post(
        "/api/v1/targets",
        {"year": 2026, "code": "DB0302200000", "area": "511425000000", "value": "12x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["field"] == "value"


def test_every_catalogue_code_fits_the_pattern_the_api_states():
    import re

    from doudi.statistics.api import INDICATOR_CODE_PATTERN
    from doudi.statistics.catalogue import CATALOGUE

    assert CATALOGUE and all(re.fullmatch(INDICATOR_CODE_PATTERN, code) for code in CATALOGUE)
