"""In headless Chromium: a temporary assistance case from a 12349 hotline call, through the application and the
township's payment first, to the paperwork completed by its deadline (issue 15, step 4)."""

import datetime as dt
from decimal import Decimal

import pytest

from doudi.benefits.models import HotlineCall, TemporaryAssistance, TemporaryState
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.pack import DEMO_PACK

from ..conftest import PASSWORD, county_finance, township_reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, live_server, username):  # noqa: F811
    page = browser.new_context().new_page()
    page.set_default_timeout(15000)
    page.dialogs = []

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


def test_hotline_call_to_fast_track_payment_to_completed_paperwork(live_server, browser, staff, register):  # noqa: F811
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    township_reviewer()
    h = register()  # 张大山's household in 东风村
    today = dt.date.today()

    # The caseworker answers the 12349 call and turns it into an application.
    cw = login(browser, live_server, "cw_a")
    cw.click("nav summary:has-text('救助')")  # the group of pages opens under its name
    cw.click("nav >> text=临时救助")
    cw.click("text=登记12349来电")
    cw.fill("#caller_name", "张大山")
    cw.fill("#caller_phone", "13800001111")
    cw.select_option("#area_code", "511425101201")
    cw.fill("#need", "昨夜厨房失火，口粮和被褥烧毁")
    cw.select_option("#outcome", "application")
    cw.click("button:has-text('登记来电')")
    cw.wait_for_selector("h1 >> text=登记临时救助申请")
    assert "来自12349来电" in cw.content()
    cw.fill("#household", str(h.pk))
    cw.click("button:has-text('下一步')")
    cw.select_option("#kind", "emergency")
    cw.fill("#cause", "房屋失火")
    cw.fill("#hardship_date", today.isoformat())
    cw.fill("#loss", "400")
    cw.click("button:has-text('登记申请并测算')")
    cw.wait_for_selector("h1 >> text=临时救助")
    text = cw.inner_text("dl.facts")
    assert "400.00" in text and "乡镇审批" in text and "可先行救助" in text
    assert "先行救助" not in [b.strip() for b in cw.locator("button").all_inner_texts()]  # the caseworker cannot pay
    ta = TemporaryAssistance.objects.get()
    assert ta.call == HotlineCall.objects.get() and ta.state == TemporaryState.AWAITING

    # The township's reviewer pays at once.
    tr = login(browser, live_server, "tr_a")
    tr.goto(f"{live_server.url}/temporary/{ta.pk}/")
    tr.click("button:has-text('先行救助')")
    tr.wait_for_selector("text=已先行救助，待补办手续")
    assert tr.dialogs and "补办手续" in tr.dialogs[0]
    ta.refresh_from_db()
    assert ta.state == TemporaryState.PAID_FIRST and ta.paperwork_due > today
    assert ta.paperwork_due.strftime("%Y-%m-%d") in tr.inner_text("dl.facts")
    fin = county_finance()
    payroll = payroll_generate(actor=fin, programme="temporary", month=today.replace(day=1))
    assert [line.amount for line in PayrollLine.objects.filter(payroll=payroll)] == [Decimal("400.00")]

    # The caseworker sees it among the paperwork due, and completes it.
    cw.goto(f"{live_server.url}/temporary/")
    cw.wait_for_selector("text=先行救助待补办手续")
    cw.click(f"a:has-text('#{ta.pk}')")
    cw.fill("#record", "经办人入户核实火灾损失400元，户主张大山签字确认")
    cw.click("button:has-text('补办完成')")
    cw.wait_for_selector("text=先行救助手续已补齐")
    ta.refresh_from_db()
    assert ta.state == TemporaryState.DOCUMENTED and ta.paperwork_done_on == today
