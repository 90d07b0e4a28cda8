"""In headless Chromium (Debian's): each role logs in, finds on its home page the work made for it in the fixture,
and one click on it lands where that work is done; a household page shows the family's cases, enrolments and
payments."""

import pytest
from django.conf import settings
from django.test import Client

from doudi.accounts.models import Staff

from .conftest import PASSWORD
from .homeday import THIS_MONTH, day, people  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, live_server, username):  # noqa: F811
    page = browser.new_context().new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    return page


def signed_in(browser, live_server, username):  # noqa: F811
    """A browser already signed in as ``username`` (the login form itself is driven by ``login`` and by
    tests/test_browser.py; a session made directly keeps eight roles' trips short)."""
    client = Client()
    client.force_login(Staff.objects.get(username=username))
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/")
    return page


def test_each_role_goes_from_home_to_the_work(live_server, browser, people, day):  # noqa: F811
    a = day["made"]["A"]
    cases = a["cases"]
    # login, the item on the home page, and what the page it leads to must offer
    trips = [
        ("cw_a", f'[data-item="case-{cases["accepted"].pk}"]', "form[action$='/move/record_survey/']"),
        ("cadre_a", f'[data-item="application-{a["incomplete"].pk}"]', "button[name=add_materials]"),
        ("tsr_a", f'[data-item="case-{cases["verified"].pk}"]', "form[action$='/move/township_opinion/']"),
        ("creviewer", f'[data-item="case-{cases["verifying"].pk}"]', "form[action$='/move/attach_verification/']"),
        ("approver", f'[data-item="case-{cases["county_review"].pk}"]', "form[action$='/move/approve/']"),
        ("fin2", f'[data-item="payroll-{day["payroll"].pk}"]', "form[action$='/approve/']"),
        ("auditor", '[data-item^="access-"]', "tr.kind-access"),
        ("admin", '[data-item^="never-"]', "input[name=full_name]"),  # the account's page
    ]
    for i, (username, item, action) in enumerate(trips):
        page = (login if i == 0 else signed_in)(browser, live_server, username)
        link = page.locator(f"main a{item}").first
        assert link.is_visible(), f"{username}: {item} not on the home page"
        link.click()
        page.wait_for_load_state()
        assert page.locator(action).count() >= 1, f"{username}: {page.url} has no {action}"
        page.context.close()


def test_household_page_shows_cases_enrolments_and_payments(live_server, browser, people, day):  # noqa: F811
    e = day["made"]["A"]["enrolments"]["review"]
    page = login(browser, live_server, "cw_a")
    page.goto(f"{live_server.url}/households/{e.household_id}/")
    cases = page.inner_text("#cases")
    assert f"#{e.case_id}" in cases and "已批准" in cases
    enrolments = page.inner_text("#enrolments")
    assert "最低生活保障" in enrolments and "240.00" in enrolments and "纳入保障" in enrolments
    payments = page.inner_text("#payments")
    assert THIS_MONTH.strftime("%Y-%m") in payments and "发放失败，已退回" in payments
    assert "120.00" in page.inner_text("#recoveries")
    page.click("nav.tabs a[href='#payments']")
    assert page.url.endswith("#payments")
