"""The three administrators' API (issue 12): the same separation as their pages. Each administrator's operations
answer them and refuse (403) the other two and every business role; nothing answers before the second factor
(the session 403, a token 401 while the account has no device); the operations do what the pages do, through
the same actions (audited, area-scoped, the policy never weaker than the settings)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from doudi.accounts.actions import token_create
from doudi.accounts.models import NO_ROLE, Staff
from doudi.accounts.roles import ADMIN_ROLES
from doudi.audit.models import AuditEvent, AuditVerification
from doudi.core.models import BackgroundJob, JobKind

pytestmark = pytest.mark.django_db

STRONG = "A-strong-passphrase-9"


def operations(staff) -> dict[str, list[tuple[str, str, dict | None]]]:
    """Each administrator's API operations: (method, path, body)."""
    cw = staff["caseworker_a"].pk
    policy = {
        "password_min_length": 12,
        "password_max_age_days": 60,
        "password_history": 6,
        "idle_minutes": 20,
        "single_session": True,
        "second_factor_roles": [],
    }
    return {
        "system": [
            ("GET", "/api/v1/staff", None),
            ("POST", "/api/v1/staff", {"username": "api_new", "password": STRONG, "area_code": "511425101000"}),
            ("PATCH", f"/api/v1/staff/{cw}", {"full_name": "改名"}),
        ],
        "security": [
            ("GET", "/api/v1/security/accounts", None),
            ("PUT", f"/api/v1/security/accounts/{cw}/role", {"role": "township_reviewer"}),
            ("POST", f"/api/v1/security/accounts/{cw}/unlock", None),
            ("POST", f"/api/v1/security/accounts/{cw}/second-factor-reset", None),
            ("GET", "/api/v1/security/policy", None),
            ("PUT", "/api/v1/security/policy", policy),
        ],
        "audit": [("GET", "/api/v1/audit/chain", None), ("POST", "/api/v1/audit/chain/verify", None)],
    }


def call(client, method, path, body=None, **extra):
    return client.generic(method, path, json.dumps(body) if body else "", content_type="application/json", **extra)


def test_each_administrator_is_refused_the_others_operations(client, staff, admins):
    table = operations(staff)
    business = [staff["caseworker_a"], staff["cadre_a"], staff["approver"], staff["auditor"]]
    for who, user in [*admins.items(), *(("business", u) for u in business)]:
        client.force_login(user)
        for owner, ops in table.items():
            for method, path, body in ops:
                r = call(client, method, path, body)
                where = f"{who} {method} {path}: {r.status_code} {r.content[:200]!r}"
                if owner == who:
                    assert r.status_code in (200, 201, 202), where
                else:
                    assert r.status_code == 403 and r.json()["code"] == "forbidden_role", where
        client.logout()
    # what the three did through the API is in the trail, each their own kind of work
    done = set(AuditEvent.objects.values_list("actor__username", "action"))
    assert {("admin", "staff.create"), ("admin", "staff.update")} <= done
    assert {("secadmin", "staff.role"), ("secadmin", "staff.unlock"), ("secadmin", "security.policy")} <= done
    assert ("auditadmin", "audit.verify") in done


def test_nothing_answers_before_the_second_factor(client, settings, staff, admins):
    settings.DOUDI_2FA_ROLES = tuple(ADMIN_ROLES)
    for who, user in admins.items():
        _t, key = token_create(actor=user, name="t")
        client.force_login(user)
        for ops in operations(staff).values():
            for method, path, body in ops:
                r = call(client, method, path, body)
                assert r.status_code == 403 and r.json()["code"] == "second_factor_required", (who, path)
                r = call(Client(), method, path, body, HTTP_AUTHORIZATION=f"Bearer {key}")
                assert r.status_code == 401, (who, path)  # no device enrolled: the token opens nothing
        client.logout()
    assert not AuditEvent.objects.filter(
        actor__isnull=False,
        action__in=["staff.create", "staff.update", "staff.role", "staff.unlock", "security.policy", "audit.verify"],
    ).exists()
    assert not Staff.objects.filter(username="api_new").exists()


def test_the_system_administrator_makes_an_account_that_waits_for_its_role(client, staff, admins):
    client.force_login(admins["system"])
    r = call(client, "POST", "/api/v1/staff", {"username": "api_cw", "password": STRONG, "area_code": "511425101000"})
    assert r.status_code == 201 and r.json()["role"] == "" and r.json()["area_code"] == "511425101000"
    new = Staff.objects.get(username="api_cw")
    assert new.role == NO_ROLE
    r = call(
        client, "POST", "/api/v1/staff", {"username": "api_weak", "password": "short", "area_code": "511425101000"}
    )
    assert r.status_code == 400 and r.json()["field"] == "password" and not Staff.objects.filter(username="api_weak")
    r = call(client, "PATCH", f"/api/v1/staff/{new.pk}", {"phone": "13800000001", "area_code": "511425102000"})
    assert r.status_code == 200 and r.json()["area_code"] == "511425102000"
    listed = {s["username"] for s in call(client, "GET", "/api/v1/staff").json()}
    assert {"api_cw", "cw_a", "admin"} <= listed
    # the security administrator grants the role; the system administrator cannot
    client.force_login(admins["security"])
    r = call(client, "PUT", f"/api/v1/security/accounts/{new.pk}/role", {"role": "township_caseworker"})
    assert r.status_code == 200 and r.json()["role"] == "township_caseworker" and r.json()["second_factor"] is False
    r = call(client, "PUT", f"/api/v1/security/accounts/{new.pk}/role", {"role": "audit_admin"})
    assert (
        r.status_code == 400 and r.json()["code"] == "one_of_three"
    )  # a business account is not made one of the three
    r = call(client, "PUT", f"/api/v1/security/accounts/{admins['security'].pk}/role", {"role": ""})
    assert r.status_code in (400, 403) and Staff.objects.get(pk=admins["security"].pk).role == "security_admin"


def test_the_security_administrators_policy_is_never_weaker_than_the_settings(client, staff, admins):
    client.force_login(admins["security"])
    r = call(client, "GET", "/api/v1/security/policy")
    floor = r.json()["floor"]
    assert r.status_code == 200 and r.json()["password_min_length"] == floor["password_min_length"]
    weaker = {**{k: v for k, v in r.json().items() if k != "floor"}, "idle_minutes": floor["idle_minutes"] + 10}
    r = call(client, "PUT", "/api/v1/security/policy", weaker)
    assert r.status_code == 400 and r.json()["field"] == "idle_minutes"
    stricter = {**weaker, "idle_minutes": 15, "password_min_length": floor["password_min_length"] + 2}
    r = call(client, "PUT", "/api/v1/security/policy", stricter)
    assert r.status_code == 200 and r.json()["idle_minutes"] == 15
    assert AuditEvent.objects.filter(actor=admins["security"], action="security.policy").count() == 1


def test_the_audit_administrator_verifies_the_chain_in_the_background(client, admins):
    client.force_login(admins["audit"])
    before = call(client, "GET", "/api/v1/audit/chain").json()
    assert before["last_verification"] is None and before["verification_job"] is None
    r = call(client, "POST", "/api/v1/audit/chain/verify")
    assert r.status_code == 202 and r.json()["kind"] == "audit_verify"
    job = BackgroundJob.objects.get(kind=JobKind.AUDIT_VERIFY)
    assert r.json()["url"] == f"/api/v1/jobs/{job.pk}"
    polled = call(client, "GET", f"/api/v1/jobs/{job.pk}").json()  # ran inline in tests
    assert polled["state"] == "finished" and polled["result"] == "/api/v1/audit/chain"
    status = call(client, "GET", "/api/v1/audit/chain").json()
    v = AuditVerification.objects.get()
    assert status["last_verification"]["ok"] is True and status["last_verification"]["by"] == "auditadmin"
    assert status["last_verification"]["last_seq"] == v.last_seq and status["sealed"] >= v.checked
