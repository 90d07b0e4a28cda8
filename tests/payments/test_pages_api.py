import datetime as dt
import time

from doudi.accounts.actions import token_create
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


def test_background_generation_with_progress(client, enrol, finance, transactional_db):
    enrol("240.00")
    client.force_login(finance["f1"])
    r = client.post("/payments/start/", {"programme": "dibao", "month": "2026-01", "kind": "regular"})
    assert r.status_code == 200
    task_id = r.context["task_id"]
    from doudi.payments.tasks import task_progress

    for _ in range(300):
        r = client.get(f"/payments/progress/{task_id}/")
        if r.status_code == 302 or task_progress(task_id)["state"] == "failed":
            break
        time.sleep(0.1)
    assert task_progress(task_id)["state"] == "finished", task_progress(task_id)
    assert r.status_code == 302 and Payroll.objects.get().line_count == 1


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
