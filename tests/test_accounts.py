import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher

from doudi.accounts.actions import staff_create
from doudi.audit.models import AuditEvent
from doudi.core.errors import ApplicationError, NotFound, PermissionDenied

from .conftest import PASSWORD


def test_production_hashing_is_argon2(staff):
    from doudi.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    from django.contrib.auth.hashers import make_password
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert identify_hasher(make_password("Some-long-password-1")).algorithm == "argon2"


def test_login_is_throttled_after_repeated_failures(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        r = client.post("/accounts/login/", {"username": "cw_a", "password": "wrong-password"})
        assert r.status_code == 200
    r = client.post("/accounts/login/", {"username": "cw_a", "password": "wrong-password"})
    assert r.status_code == 429
    # Even the right password is refused while locked.
    r = client.post("/accounts/login/", {"username": "cw_a", "password": PASSWORD})
    assert r.status_code == 429 and "锁定" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_works_and_session_times_out(client, staff):
    r = client.post("/accounts/login/", {"username": "cw_a", "password": PASSWORD})
    assert r.status_code == 302
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert client.session.get_expiry_age() <= 30 * 60


def test_admin_creates_staff_only_in_own_area_and_it_is_audited(staff):
    s = staff_create(
        actor=staff["admin"],
        username="new_cw",
        password="A-strong-passphrase-9",
        role="township_caseworker",
        area_code="511425102000",
    )
    assert s.check_password("A-strong-passphrase-9")
    assert AuditEvent.objects.filter(action="staff.create", target_id=str(s.pk)).count() == 1
    with pytest.raises(ApplicationError) as info:
        staff_create(actor=staff["admin"], username="weak", password="123", role="auditor", area_code="511425000000")
    assert info.value.field == "password"
    with pytest.raises(PermissionDenied):
        staff_create(
            actor=staff["caseworker_a"],
            username="x",
            password="A-strong-passphrase-9",
            role="auditor",
            area_code="511425101000",
        )


def test_township_admin_cannot_create_staff_elsewhere(staff):
    township_admin = staff_create(
        actor=None,
        username="tadmin",
        password=PASSWORD,
        role="bureau_admin",
        area_code="511425101000",
        check_password=False,
    )
    with pytest.raises(NotFound):
        staff_create(
            actor=township_admin,
            username="y",
            password="A-strong-passphrase-9",
            role="auditor",
            area_code="511425102000",
        )


def test_account_without_area_sees_nothing(staff, register):
    from doudi.accounts.models import Staff
    from doudi.accounts.scope import households_visible

    register()
    nobody = Staff.objects.create(username="noarea", role="auditor")
    assert households_visible(nobody).count() == 0
