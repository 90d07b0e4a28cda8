"""The department load API checks its base64 file with the shared helper (doudi/core/uploads.py): a CSV sent as
"wage.xlsx" is refused naming content_base64, and nothing is loaded."""

import base64

from doudi.verification.generator import _headers, file_bytes
from doudi.verification.models import DatasetLoad
from doudi.verification.schemas import KINDS


def test_the_department_load_api_refuses_a_mismatched_file(centre, client_for):
    spec = KINDS["wage"]
    body = {
        "kind": "wage",
        "as_of": "2026-03-31",
        "file_name": "wage.xlsx",
        "content_base64": base64.b64encode(file_bytes(_headers(spec), [], "csv")).decode(),
    }
    r = client_for(centre["centre"]).post("/api/v1/verification/loads", body, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "content_base64"
    assert "不是Excel（.xlsx）文件" in r.json()["message"] and not DatasetLoad.objects.exists()
