"""In headless Chromium (Debian's), a caseworker logs in, searches, and registers a household with two members."""

import pytest

from doudi.registry.models import Household, Person

from .conftest import PASSWORD, make_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_search_and_register_household(live_server, browser, staff, register):
    register()  # an existing household to search for: 张大山
    page = browser.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "cw_a")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")

    # Search (htmx live results) by name.
    page.goto(f"{live_server.url}/households/")
    page.fill("#q", "张大山")
    page.press("#q", "Enter")
    page.wait_for_selector("#results td >> text=张大山")
    assert page.locator("#results tbody tr").count() == 1

    # Register a household with two members, fixing an error on the way.
    page.click("nav summary:has-text('家庭')")  # the group of pages opens under its name
    page.click("nav >> text=登记家庭")
    page.select_option("#id_area", "511425101201")
    page.select_option("#id_hukou_type", "rural")
    page.fill("#id_phone", "13812345678")
    page.fill("#id_m0-name", "林大海")
    page.fill("#id_m0-id_number", make_id("1969-09-19", 91))
    page.select_option("#id_m0-relation", "head")
    page.fill("#id_m1-name", "林小溪")
    page.fill("#id_m1-id_number", "51142520050505")  # too short
    page.select_option("#id_m1-relation", "child")
    page.click("button:has-text('保存登记')")
    page.wait_for_selector(".field-error >> text=身份证号应为18位")
    page.fill("#id_m1-id_number", make_id("2005-05-05", 92))
    page.click("button:has-text('保存登记')")
    page.wait_for_selector("h1 >> text=林大海")
    assert "林小溪" in page.content()

    h = Household.objects.get(head_name="林大海")
    assert h.member_count == 2 and h.phone == "13812345678"
    assert set(Person.objects.filter(memberships__household=h).values_list("name", flat=True)) == {"林大海", "林小溪"}


def test_add_member_row_with_htmx(live_server, browser, staff):
    """Under the Content-Security-Policy (no inline script): the row comes through doudi.js, and the browser
    reports no blocked script or style."""
    page = browser.new_page()
    page.set_default_timeout(15000)
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "cw_a")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/households/new/")
    page.click("#add-member")
    page.wait_for_selector("#id_m2-name")
    assert page.input_value("#member_count") == "3"
    page.click("#add-member")
    page.wait_for_selector("#id_m3-name")  # the index came from the counter each time
    assert page.input_value("#member_count") == "4" and not blocked, blocked
