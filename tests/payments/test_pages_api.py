import datetime as dt

from doudi.accounts.actions import token_create
from doudi.core.models import BackgroundJob, JobKind, JobState
from doudi.payments.generation import payroll_generate
from doudi.payments.models import Payroll, PayrollLine


def test_payroll_pages_end_to_end(client, enrol, finance, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    enrol("240.00")
    enrol("100.00", account="")
    client.force_login(finance["f1"])
    assert client.get("/payments/").status_code == 200
    p = payroll_generate(actor=finance["f1"], programme="dibao", month=dt.date(2026, 1, 1))
    page = client.get(f"/payments/{p.pk}/").content.decode()
    assert "340.00" in page and "核对一致" in page and "银行账号缺失或无效" in page
    client.post(f"/payments/{p.pk}/check/")
    anomaly = p.anomalies.get()
    client.post(f"/payments/{p.pk}/anomaly/", {"anomaly": anomaly.pk, "accept": "1", "reason": "代发现金"})
    client.post(f"/payments/{p.pk}/approve/")  # the generator cannot approve
    p.refresh_from_db()
    assert p.state == "checked"
    client.force_login(finance["f2"])
    client.post(f"/payments/{p.pk}/approve/")
    r = client.post(f"/payments/{p.pk}/export/", {"fmt": "csv"})
    p.refresh_from_db()
    assert p.state == "exported" and r.status_code == 302
    content = b"".join(client.get(r["Location"]).streaming_content).decode("utf-8-sig")
    assert content.splitlines()[0] == "流水号,账号,户名,身份证号,金额,摘要" and "240.00" in content
    assert "********" in content  # masked ID numbers in the default layout
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = "流水号,状态,原因\n" + "".join(f"{l.pk},成功,\n" for l in PayrollLine.objects.filter(payroll=p))
    client.post(f"/payments/{p.pk}/return/", {"file": SimpleUploadedFile("r.csv", body.encode())})
    p.refresh_from_db()
    assert p.state == "reconciled"
    figures = client.get("/payments/figures/", {"year": 2026}).content.decode()
    assert "340.0" in figures
    assert client.get("/payments/recoveries/").status_code == 200


def test_generation_job_box_progress_and_scope(client, enrol, finance, staff):
    """Generating from the payroll list answers the htmx form with the job's box only (the reported bug: a whole
    second page inside the box); the job ran through the queue (inline in tests) and leads to its payroll; its page
    is the starter's and their area's, a 404 for another township."""
    enrol("240.00")
    client.force_login(finance["f1"])
    r = client.post(
        "/payments/start/", {"programme": "dibao", "month": "2026-01", "kind": "regular"}, HTTP_HX_REQUEST="true"
    )
    body = r.content.decode()
    assert r.status_code == 200 and body.lstrip().startswith('<div class="card job-box"')
    assert "<html" not in body and "<nav" not in body and "<footer" not in body
    job = BackgroundJob.objects.get()
    payroll = Payroll.objects.get()
    assert (job.state, job.kind, job.result_id, job.done, job.total, job.attempts) == (
        JobState.FINISHED,
        JobKind.PAYROLL_GENERATE,
        payroll.pk,
        1,
        1,
        1,
    )
    assert job.created_by == finance["f1"] and job.area_prefix == "511425" and payroll.line_count == 1
    # the finished box says what was made and links to it; the person stays on the list
    assert not r.has_header("HX-Redirect")
    assert "2026年1月最低生活保障月度发放表：1户，合计240.00元" in body
    assert f'href="/payments/{payroll.pk}/"' in body
    # polling the box (the same fragment) and opening the page
    polled = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and f'href="/payments/{payroll.pk}/"' in polled.content.decode()
    assert "<html" not in polled.content.decode()
    # on the job's own page the box is the whole page, so the page becomes the payroll when the job is done
    on_job_page = client.get(
        f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver/jobs/{job.pk}/"
    )
    assert on_job_page["HX-Redirect"] == f"/payments/{payroll.pk}/"
    assert client.get(f"/jobs/{job.pk}/")["Location"] == f"/payments/{payroll.pk}/"
    # the county auditor's area covers it; a township caseworker's does not (nor a missing id)
    client.force_login(staff["auditor"])
    assert client.get(f"/jobs/{job.pk}/").status_code == 302
    client.force_login(staff["caseworker_b"])
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk + 1}/").status_code == 404
    # without htmx the form leads to the job's page
    client.force_login(finance["f1"])
    r = client.post("/payments/start/", {"programme": "dibao", "month": "2026-02", "kind": "regular"})
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk + 1}/"
    r = client.post("/payments/start/", {"programme": "dibao", "month": "2026-13"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "月份格式应为 YYYY-MM" in r.content.decode() and "<html" not in r.content.decode()


def test_failed_job_shows_the_chinese_message(client, enrol, finance, monkeypatch):
    """The generation refuses (here: the officer lost the finance role after queueing): the job is failed with the
    ApplicationError's message, shown on its page, and nothing was generated."""
    from django_q.conf import Conf

    from doudi.payments.tasks import payroll_generate_task

    monkeypatch.setattr(Conf, "SYNC", False)  # queue only; the task is run below, as a worker would
    enrol("240.00")
    client.force_login(finance["f1"])
    r = client.post("/payments/start/", {"programme": "dibao", "month": "2026-01"})
    job = BackgroundJob.objects.get()
    assert job.state == JobState.QUEUED and "已排队" in client.get(r["Location"]).content.decode()
    finance["f1"].role = "auditor"
    finance["f1"].save()
    payroll_generate_task(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error == "您的角色无权执行此操作" and not Payroll.objects.exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "失败，未留下任何数据：您的角色无权执行此操作" in page and "Your role may not do this" not in page
    client.cookies["django_language"] = "en"  # one language at a time: the English page says it in English
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Your role may not do this" in page and "您的角色无权执行此操作" not in page
    payroll_generate_task(job.pk)  # handed out again: an ended job is left as it is
    job.refresh_from_db()
    assert job.attempts == 1 and job.state == JobState.FAILED


def test_payroll_api(client, enrol, finance):
    enrol("240.00")
    _t, key = token_create(actor=finance["f1"], name="t")
    r = client.post(
        "/api/v1/payrolls",
        data={"programme": "dibao", "month": "2026-01"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert r.status_code == 201 and r.json()["totals"]["ledger"] == "240.00"
    again = client.post(
        "/api/v1/payrolls",
        data={"programme": "dibao", "month": "2026-01"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert again.json()["id"] == r.json()["id"]
    assert client.get(f"/api/v1/payrolls/{r.json()['id']}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_htmx_answers_are_fragments_even_when_refused_or_logged_out(client, finance):
    """The box never gets a whole page: a refused month is the error fragment; an expired session sends the
    browser to the login page (HX-Redirect) instead of nesting it; a CSRF refusal is the error fragment too."""
    client.force_login(finance["f1"])
    r = client.post("/payments/start/", {"programme": "dibao", "month": "2199-01"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and r.content.decode().startswith('<div class="error-box"')
    client.logout()
    r = client.post("/payments/start/", {"programme": "dibao", "month": "2026-01"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and r["HX-Redirect"].startswith("/accounts/login/") and r.content == b""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(finance["f1"])
    r = strict.post("/payments/start/", {"programme": "dibao", "month": "2026-01"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 403 and "<html" not in body.lower() and "请刷新页面后重试" in body


def test_payroll_page_tiles_write_money_grouped(client, enrol, finance):
    """The ledger and lines tiles of a payroll are money like its lines: 1,240.00, not 1240.00."""
    enrol("1240.00")
    client.force_login(finance["f1"])
    p = payroll_generate(actor=finance["f1"], programme="dibao", month=dt.date(2026, 1, 1))
    page = client.get(f"/payments/{p.pk}/").content.decode()
    assert page.count("<b>1,240.00</b>") == 2 and "1240.00" not in page
