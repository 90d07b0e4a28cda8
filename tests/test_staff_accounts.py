"""Staff accounts: the system administrator edits a member of staff and resets a password (a one-time password,
changed at the next login); everyone changes their own password; all audited; nobody locks out the last system
administrator. Roles are the security administrator's (tests/test_three_administrators.py)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from doudi.accounts.actions import password_change, staff_password_reset, staff_set_active, staff_update
from doudi.accounts.models import Staff
from doudi.audit.models import AuditEvent
from doudi.core.errors import ApplicationError, NotFound, PermissionDenied

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _edit(client, s, **changes):
    data = {"full_name": s.full_name, "area": s.area_id, "phone": s.phone, "is_active": "on"}
    data.update(changes)
    return client.post(f"/staff/{s.pk}/", {k: v for k, v in data.items() if v is not None})


def test_admin_edits_name_area_phone_and_state_and_a_move_withdraws_the_role(client_for, staff):
    cw = staff["caseworker_a"]
    client = client_for(staff["admin"])
    page = client.get(f"/staff/{cw.pk}/").content.decode()
    assert 'name="full_name"' in page and 'name="is_active"' in page and 'name="role"' not in page
    r = _edit(client, cw, full_name="王小红", area="511425102000", phone="028-3880001")
    assert r.status_code == 302
    cw.refresh_from_db()
    # another township: what the account may see would change, so its role waits for the security administrator
    assert (cw.full_name, cw.role, cw.area_id, cw.phone) == ("王小红", "", "511425102000", "028-3880001")
    e = AuditEvent.objects.get(action="staff.update")
    assert e.actor == staff["admin"] and e.target_id == str(cw.pk)
    assert e.old["role"] == "township_caseworker" and e.new["role"] == ""
    assert e.new["area"] == "511425102000" and "password" not in str(e.new)
    _edit(client, cw, is_active=None)  # unticked: deactivated
    cw.refresh_from_db()
    assert cw.is_active is False
    assert AuditEvent.objects.filter(action="staff.update", new__is_active=False).exists()


def test_edit_refuses_bad_input_naming_the_field(client_for, staff):
    cw = staff["caseworker_a"]
    r = _edit(client_for(staff["admin"]), cw, area="999999999999")
    assert r.status_code == 200 and "area" in r.content.decode()
    cw.refresh_from_db()
    assert cw.role == "township_caseworker" and cw.area_id == "511425101000"
    with pytest.raises(ApplicationError) as e:  # the role is not the system administrator's to give
        staff_update(actor=staff["admin"], staff=cw, data={"role": "township_reviewer"})
    assert e.value.code == "role_by_security_admin" and e.value.field == "role"
    from doudi.accounts.actions import staff_create

    ts_admin = staff_create(
        actor=None,
        username="ts_admin",
        password=PASSWORD,
        role="system_admin",
        area_code="511425101000",
        check_password=False,
    )
    with pytest.raises(NotFound):  # moved to an area outside the administrator's own
        staff_update(actor=ts_admin, staff=cw, data={"area": "511425102000"})
    cw.refresh_from_db()
    assert cw.area_id == "511425101000"


def test_only_administrators_within_their_area(client_for, staff, areas):
    from doudi.accounts.actions import staff_create

    ts_admin = staff_create(
        actor=None,
        username="ts_admin",
        password=PASSWORD,
        role="system_admin",
        area_code="511425102000",
        check_password=False,
    )
    cw_a = staff["caseworker_a"]
    with pytest.raises(NotFound):
        staff_update(actor=ts_admin, staff=cw_a, data={"full_name": "x"})
    with pytest.raises(NotFound):
        staff_password_reset(actor=ts_admin, staff=cw_a)
    assert client_for(ts_admin).get(f"/staff/{cw_a.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        staff_password_reset(actor=staff["caseworker_b"], staff=cw_a)
    assert client_for(staff["caseworker_b"]).post(f"/staff/{cw_a.pk}/password-reset/").status_code == 403


def test_password_reset_shows_a_one_time_password_once_and_forces_a_change(client_for, staff):
    cw = staff["caseworker_a"]
    r = client_for(staff["admin"]).post(f"/staff/{cw.pk}/password-reset/")
    assert r.status_code == 200 and "no-store" in r.get("Cache-Control", "")
    otp = re.search(r'<code id="one-time-password">([^<]+)</code>', r.content.decode()).group(1)
    cw.refresh_from_db()
    assert cw.must_change_password and cw.check_password(otp) and not cw.check_password(PASSWORD)
    e = AuditEvent.objects.get(action="staff.password_reset")
    assert e.actor == staff["admin"] and otp not in str(e.new) and otp not in str(e.old)
    # the person logs in with it and can open nothing but the password page
    c = Client()
    assert c.post("/accounts/login/", {"username": "cw_a", "password": otp}).status_code == 302
    for path in ("/", "/households/", "/cases/"):
        r = c.get(path)
        assert r.status_code == 302 and r["Location"] == "/accounts/password/", path
    page = c.get("/accounts/password/").content.decode()
    assert "管理员已重置您的密码" in page
    # a weak password is refused by Django's validators, naming why
    r = c.post("/accounts/password/", {"old_password": otp, "new_password": "12345678", "new_password2": "12345678"})
    assert r.status_code == 200 and "密码不够安全" in r.content.decode()
    r = c.post(
        "/accounts/password/",
        {"old_password": otp, "new_password": "Hanyang-river-2027", "new_password2": "Hanyang-river-2027"},
    )
    assert r.status_code == 302
    cw.refresh_from_db()
    assert not cw.must_change_password and cw.check_password("Hanyang-river-2027")
    assert c.get("/").status_code == 200  # still logged in, and free again
    e = AuditEvent.objects.get(action="staff.password_change")
    assert e.actor == cw and e.new == {"after_reset": True}


def test_own_password_change_checks_old_and_twice(client_for, staff):
    cw = staff["caseworker_a"]
    c = client_for(cw)
    assert "修改密码" in c.get("/").content.decode()  # linked from every page
    r = c.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password": "Xy-long-pass-1", "new_password2": "Xy-long-pass-1"},
    )
    assert "原密码不正确" in r.content.decode()
    r = c.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "Xy-long-pass-1", "new_password2": "Xy-long-pass-2"},
    )
    assert "两次输入的新密码不一致" in r.content.decode()
    cw.refresh_from_db()
    assert cw.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="staff.password_change").exists()
    password_change(actor=cw, old_password=PASSWORD, new_password="Xy-long-pass-1", new_password2="Xy-long-pass-1")
    cw.refresh_from_db()
    assert cw.check_password("Xy-long-pass-1")


def test_the_last_administrator_cannot_be_locked_out(staff, areas):
    from doudi.accounts.actions import staff_create

    admin = staff["admin"]
    with pytest.raises(ApplicationError) as e:
        staff_update(actor=admin, staff=admin, data={"is_active": False})
    assert e.value.code == "self_change"
    admin2 = staff_create(
        actor=None,
        username="admin2",
        password=PASSWORD,
        role="system_admin",
        area_code="511425000000",
        check_password=False,
    )
    staff_update(actor=admin2, staff=admin, data={"is_active": False})  # two system administrators: allowed
    admin.refresh_from_db()
    assert not admin.is_active
    assert list(Staff.objects.filter(role="system_admin", is_active=True)) == [admin2]
    with pytest.raises(ApplicationError) as e:
        staff_set_active(actor=admin2, staff=admin2, active=False)
    assert e.value.code == "last_admin"
    admin2.refresh_from_db()
    assert admin2.is_active and admin2.role == "system_admin"
    assert AuditEvent.objects.filter(action="staff.update").count() == 1


def test_admin_cannot_reset_own_password_there(staff):
    with pytest.raises(ApplicationError) as e:
        staff_password_reset(actor=staff["admin"], staff=staff["admin"])
    assert e.value.code == "self_reset"


def test_a_password_hash_is_for_set_up_only_and_dates_and_keeps_the_password(staff):
    from django.contrib.auth.hashers import make_password

    from doudi.accounts.actions import staff_create
    from doudi.accounts.models import PasswordHistory

    hashed = make_password(PASSWORD)
    with pytest.raises(ApplicationError) as info:
        staff_create(
            actor=staff["admin"],
            username="x1",
            password="",
            password_hash=hashed,
            role="auditor",
            area_code="511425000000",
        )
    assert info.value.field == "password" and not Staff.objects.filter(username="x1").exists()
    made = [
        staff_create(
            actor=None,
            username=f"setup{i}",
            password="",
            password_hash=hashed,
            role="auditor",
            area_code="511425000000",
            check_password=False,
        )
        for i in range(2)
    ]
    for s in made:
        s.refresh_from_db()
        assert s.check_password(PASSWORD) and s.password_changed_at is not None
        assert PasswordHistory.objects.filter(staff=s, password=hashed).exists()
