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
