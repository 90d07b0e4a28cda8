from doudi.accounts.actions import token_create
from doudi.cases.models import Case


def test_case_api_from_application_to_move(client, people, poor_household):
    _t, key = token_create(actor=people["caseworker_a"], name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    head = poor_household.memberships.get(relation="head").person
    r = client.post(
        "/api/v1/applications",
        data={
            "household_id": poor_household.pk,
            "applicant_id": head.pk,
            "programmes": ["dibao"],
            "materials": ["authorisation", "pledge", "id_copy", "income_proof"],
        },
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201, r.content
    case = r.json()["cases"][0]
    assert case["state"] == "draft" and case["moves"] == ["accept", "withdraw"]
    r = client.post(
        f"/api/v1/cases/{case['id']}/moves/accept",
        data={"version": case["version"]},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200 and r.json()["state"] == "accepted" and r.json()["step_due"]
    r = client.post(
        f"/api/v1/cases/{case['id']}/moves/accept",
        data={"version": case["version"]},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 409 and r.json()["code"] == "stale"
    r = client.post(f"/api/v1/cases/{case['id']}/moves/approve", data={}, content_type="application/json", **auth)
    assert r.status_code == 409
    assert client.get(f"/api/v1/cases/{case['id']}", **auth).json()["events"][-1]["move"] == "accept"
    assert client.get("/api/v1/deadline", {"start": "2026-09-30", "working_days": 1}, **auth).json() == {
        "due": "2026-10-08",
        "calendar_complete": True,
    }
    _t2, other = token_create(actor=people["caseworker_b"], name="t")
    assert client.get(f"/api/v1/cases/{case['id']}", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
    assert Case.objects.count() == 1


def test_case_endpoints_are_typed_in_the_openapi_document(client, db):
    doc = client.get("/api/v1/openapi.json").json()
    paths, schemas = doc["paths"], doc["components"]["schemas"]

    def ok(path, method, status="200"):
        return paths[path][method]["responses"][status]["content"]["application/json"]["schema"]

    assert ok("/api/v1/cases/{case_id}", "get") == {"$ref": "#/components/schemas/CaseOut"}
    assert ok("/api/v1/cases/{case_id}/moves/{move}", "post") == {"$ref": "#/components/schemas/CaseOut"}
    assert ok("/api/v1/applications", "post", "201") == {"$ref": "#/components/schemas/ApplicationOut"}
    assert ok("/api/v1/cases", "get")["items"] == {"$ref": "#/components/schemas/CaseListItem"}
    assert ok("/api/v1/enrolments", "get")["items"] == {"$ref": "#/components/schemas/EnrolmentOut"}
    assert ok("/api/v1/enrolments/{enrolment_id}/change-reports", "post", "201") == {
        "$ref": "#/components/schemas/ChangeReportOut"
    }
    assert ok("/api/v1/deadline", "get") == {"$ref": "#/components/schemas/DeadlineOut"}
    assert ok("/api/v1/cases/{case_id}/moves/{move}", "post", "409") == {"$ref": "#/components/schemas/ErrorOut"}
    assert {"moves", "events", "version", "notice_amount"} <= set(schemas["CaseOut"]["properties"])
    assert {"from", "to"} <= set(schemas["CaseEventOut"]["properties"])
    # a move is made on the day it is sent: the body has no date to backdate it
    assert set(schemas["CaseMoveIn"]["properties"]) == {"data", "version"}


def test_a_move_cannot_be_backdated_through_the_api(client, people, apply):
    from django.utils import timezone

    case = apply().cases.get()
    _t, key = token_create(actor=people["caseworker_a"], name="t")
    r = client.post(
        f"/api/v1/cases/{case.pk}/moves/accept",
        data={"version": case.version, "on": "2020-01-01"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert r.status_code == 200, r.content
    case.refresh_from_db()
    assert case.accepted_on == timezone.localdate() and case.events.last().on == timezone.localdate()
    body = r.json()
    assert body["events"][-1]["from"] == "draft" and body["events"][-1]["to"] == "accepted"
