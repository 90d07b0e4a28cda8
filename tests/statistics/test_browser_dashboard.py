"""In headless Chromium: the county reviewer opens the dashboard, changes township and year, and follows a figure to
the list behind it; no Content-Security-Policy violation; (the screenshot in docs/screenshots/ is scripts/screenshots.py's, from the demo county)."""

import pytest

from doudi.areas.models import Area
from doudi.areas.shapes import township_grid
from doudi.statistics.tasks import snapshots_refresh

from ..conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_township_year_and_a_figure_to_its_list(live_server, browser, county, tmp_path):
    for year in (2025, 2026):  # as the worker leaves them (the page queues what is missing: tested elsewhere)
        snapshots_refresh("511425", year)
    for code, shape in zip(("511425101000", "511425102000"), township_grid(2), strict=True):
        Area.objects.filter(code=code).update(shape=shape)
    page = browser.new_page(viewport={"width": 1280, "height": 1600})
    page.set_default_timeout(60000)
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "creviewer")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.click("nav >> text=统计")
    page.click("text=统计看板")
    page.wait_for_url("**/statistics/dashboard/")
    page.wait_for_load_state("load")  # the page's scripts are in: changing a select now submits its form
    page.select_option("select[name=year]", "2025")  # a year with nothing paid
    page.wait_for_url("**year=2025**")
    page.wait_for_load_state("load")
    page.select_option("select[name=year]", "2026")
    page.wait_for_url("**year=2026**")
    page.wait_for_load_state("load")
    page.wait_for_selector("[data-chart=trend] svg")
    # the map of townships: drawn, recoloured by another indicator; clicking a township opens its dashboard
    page.wait_for_selector("[data-chart=map] svg")
    assert "汉阳镇" in page.inner_text("[data-chart=map]")
    page.select_option("#map-indicator", "TK0105000000")
    page.get_by_text("瑞峰镇", exact=True).last.click()
    page.wait_for_url("**area=511425102000**")
    page.go_back()
    page.wait_for_selector("[data-chart=map] svg")
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)  # docs' own: scripts/screenshots.py
    page.select_option("select[name=area]", "511425102000")  # 瑞峰镇
    page.wait_for_url("**area=511425102000**")
    assert "year=2026" in page.url
    page.wait_for_selector("[data-chart=per_capita] svg")
    # March's dibao money of 瑞峰镇 (150.00) → the lines behind it
    page.click("a[href='/statistics/DB0301000000/?month=2026-03&area=511425102000']")
    page.wait_for_selector("h1 >> text=DB0301000000")
    assert "孙三户" in page.content() and "王一户" not in page.content()
    assert blocked == []
