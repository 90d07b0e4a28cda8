"""In headless Chromium: one case from the window to approval, each step by the person whose job it is."""

import datetime as dt

import pytest
from django.utils import timezone

from doudi.cases.models import Case, Enrolment

from ..conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, live_server, username):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    page.dialogs = []  # the confirmations asked, accepted

    def accept(dialog):
        page.dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_case_from_window_to_approval(live_server, browser, people, poor_household):
    url = live_server.url
    cw = login(browser, live_server, "cw_a")
    cw.goto(f"{url}/households/{poor_household.pk}/")
    cw.click("text=登记救助申请")
    cw.check("input[name=programmes][value=dibao]")
    for m in ("authorisation", "pledge", "id_copy", "income_proof"):
        cw.check(f"input[name=materials][value={m}]")
    cw.click("button:has-text('登记申请')")
    cw.wait_for_selector("h1:has-text('申请')")
    cw.click("a:has-text('最低生活保障')")
    case = Case.objects.get()

    def do(page, move, fill=None):
        page.goto(f"{url}/cases/{case.pk}/")
        form = page.locator(f"form[action$='/move/{move}/']")
        if not form.is_visible():
            page.click(f"details:has(form[action$='/move/{move}/']) > summary")
        (fill or (lambda f: None))(form)
        form.locator(f"button[data-move={move}]").click()
        page.wait_for_selector(".messages")
        assert "已完成" in page.inner_text(".messages"), page.inner_text(".messages")

    do(cw, "accept")
    # A refused survey comes back with what was typed: one surveyor is not enough.
    cw.goto(f"{url}/cases/{case.pk}/")
    form = cw.locator("form[action$='/move/record_survey/']")
    form.locator(f"input[name=surveyors][value='{people['caseworker_a'].pk}']").check()
    form.locator("textarea[name=findings]").fill("家中无其他收入，已查看承包地")
    form.locator("input[name=applicant_confirmed]").check()
    form.locator("input[name=surveyors_confirmed]").check()
    form.locator("button[data-move=record_survey]").click()
    cw.wait_for_selector("#move-record_survey-error")
    assert "2名以上调查人员" in cw.inner_text("#move-record_survey-error")
    form = cw.locator("form[action$='/move/record_survey/']")
    assert form.locator("textarea[name=findings]").input_value() == "家中无其他收入，已查看承包地"
    assert form.locator(f"input[name=surveyors][value='{people['caseworker_a'].pk}']").is_checked()
    assert form.locator("input[name=applicant_confirmed]").is_checked()
    form.locator(f"input[name=surveyors][value='{people['caseworker_a2'].pk}']").check()
    form.locator("button[data-move=record_survey]").click()
    cw.wait_for_selector(".messages")
    assert "已完成" in cw.inner_text(".messages")
    assert case.surveys.get().findings == "家中无其他收入，已查看承包地"
    do(cw, "request_verification")
    county = login(browser, live_server, "creviewer")
    do(county, "attach_verification", lambda f: f.locator("textarea[name=results]").fill("核对一致"))
    tsr = login(browser, live_server, "tsr_a")
    do(
        tsr,
        "township_opinion",
        lambda f: (f.locator("textarea[name=opinion]").fill("同意"), f.locator("input[name=recommends]").check()),
    )
    do(cw, "start_notice")
    # seven days of public notice pass
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(
        notice_start=today - dt.timedelta(days=8), notice_end=today - dt.timedelta(days=1)
    )
    do(cw, "submit_to_county")
    approver = login(browser, live_server, "approver")
    approver.goto(f"{url}/cases/{case.pk}/")
    assert approver.locator("button[data-move=accept]").count() == 0
    do(approver, "approve")
    assert len(approver.dialogs) == 1 and approver.dialogs[0].startswith("确认批准张大山的最低生活保障申请？")
    approver.wait_for_selector("text=核定依据")
    case.refresh_from_db()
    assert case.state == "approved"
    e = Enrolment.objects.get(case=case)
    assert e.monthly_amount == case.decision_amount and e.start_month.day == 1
    assert [ev.actor.username for ev in case.events.all()] == [
        "cw_a",
        "cw_a",
        "cw_a",
        "cw_a",
        "creviewer",
        "tsr_a",
        "cw_a",
        "cw_a",
        "approver",
    ]
