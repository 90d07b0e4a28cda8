"""The pages and the API over the same actions: a refused upload lists rows and columns, the alert queue triages
and acts in bulk, the report is confirmed from its page, and the API answers in the account's area only."""

import base64
import json

from doudi.verification.generator import _headers, file_bytes
from doudi.verification.models import Alert, AlertState, DatasetLoad
from doudi.verification.schemas import KINDS

from ..payments.conftest import enrol  # noqa: F401
from .test_alerts import AS_OF, DAY, _head, _load


def test_upload_page_lists_refused_rows(centre, client_for, enrol):
    e = enrol()
    head = _head(e)
    spec = KINDS["vehicle"]
    rows = [[head.name, head.id_number, "川Z1", "飞机", DAY, ""]]
    client = client_for(centre["centre"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post(
        "/verification/loads/new/",
        {
            "kind": "vehicle",
            "as_of": AS_OF.isoformat(),
            "file": SimpleUploadedFile("v.csv", file_bytes(_headers(spec), rows, "csv")),
        },
    )
    page = r.content.decode()
    assert r.status_code == 400 and "车辆类型" in page and "飞机" in page and DatasetLoad.objects.count() == 0
    rows[0][3] = "小型汽车"
    r = client.post(
        "/verification/loads/new/",
        {
            "kind": "vehicle",
            "as_of": AS_OF.isoformat(),
            "file": SimpleUploadedFile("v.csv", file_bytes(_headers(spec), rows, "csv")),
        },
    )
    load = DatasetLoad.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/verification/loads/{load.pk}/"
    assert head.name in client.get(r["Location"]).content.decode()


def test_alert_queue_triage_and_bulk(centre, client_for, enrol):
    es = [enrol(), enrol()]
    for e in es:
        _load(centre, "vehicle", _head(e), plate="川Z1", vehicle_type="货车", registered_on=DAY)
    client = client_for(centre["caseworker_a"])
    page = client.get("/verification/alerts/").content.decode()
    assert "汉阳镇" in page and "有机动车" in page and _head(es[0]).name in page
    ids = list(Alert.objects.values_list("pk", flat=True))
    r = client.post("/verification/alerts/", {"alert": ids, "do": "resolve", "reason": "生计用车"})
    assert r.status_code == 302
    assert set(Alert.objects.values_list("state", flat=True)) == {AlertState.RESOLVED}
    # another township's caseworker sees none of it
    other = client_for(centre["caseworker_b"]).get("/verification/alerts/?state=resolved").content.decode()
    assert _head(es[0]).name not in other


def test_api_load_and_alerts(centre, client_for, enrol):
    e = enrol()
    head = _head(e)
    spec = KINDS["business"]
    rows = [[head.name, head.id_number, "某商贸", "91511425MA12345678", "股东", DAY, "50000"]]
    client = client_for(centre["centre"])
    body = {
        "kind": "business",
        "as_of": AS_OF.isoformat(),
        "file_name": "b.csv",
        "content_base64": base64.b64encode(file_bytes(_headers(spec), rows, "csv")).decode(),
    }
    r = client.post("/api/v1/verification/loads", json.dumps(body), content_type="application/json")
    assert r.status_code == 201 and r.json()["matched"] == 1
    cw = client_for(centre["caseworker_a"])
    alerts = cw.get("/api/v1/verification/alerts").json()
    assert [a["rule"] for a in alerts] == ["business"]
    r = cw.post(
        "/api/v1/verification/alerts/review",
        json.dumps({"alert_ids": [alerts[0]["id"]]}),
        content_type="application/json",
    )
    assert r.status_code == 200 and len(r.json()["case_ids"]) == 1
    assert client_for(centre["caseworker_b"]).get("/api/v1/verification/alerts?state=review").json() == []
