"""In headless Chromium: the finance officer generates a payroll from the payroll list; the job's box (and only
the box — the reported bug put a second copy of the page in it) follows the job, then says what it made and links
to it; a refused month shows its message in the box."""

import pytest
from django_q.conf import Conf

from doudi.core.models import BackgroundJob, JobState
from doudi.payments.models import Payroll
from doudi.payments.tasks import payroll_generate_task

from ..conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_generate_payroll_box_follows_the_job(live_server, browser, enrol, finance, monkeypatch):  # noqa: F811
    monkeypatch.setattr(Conf, "SYNC", False)  # queued; the test plays the worker below
    enrol("240.00")
    page = browser.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "fin1")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/payments/")
    page.fill("input[name=month]", "2026-01")
    page.click("button:has-text('生成发放表')")
    page.wait_for_selector("#progress .card >> text=已排队，等待后台进程执行")
    assert page.locator("nav").count() == 1 and page.locator("#progress nav, #progress h1").count() == 0
    job = BackgroundJob.objects.get()
    assert job.state == JobState.QUEUED
    payroll_generate_task(job.pk)  # as `doudi worker` would
    page.wait_for_selector("#progress .job-summary")
    assert page.inner_text("#progress .job-summary") == "2026年1月最低生活保障月度发放表：1户，合计240.00元"
    assert page.locator("#progress nav, #progress h1, #progress footer").count() == 0
    assert page.url == f"{live_server.url}/payments/"
    page.click("#progress a:has-text('查看结果')")
    page.wait_for_url(f"{live_server.url}/payments/{Payroll.objects.get().pk}/")
    assert "240.00" in page.content()
    # a refusal shows in the box (htmx swaps 4xx answers: the error fragment, never a page)
    page.goto(f"{live_server.url}/payments/")
    page.fill("input[name=month]", "2199-01")
    page.click("button:has-text('生成发放表')")
    page.wait_for_selector("#progress .error-box")
    assert "发放月份" in page.inner_text("#progress .error-box")
    assert page.locator("#progress nav, #progress h1").count() == 0
