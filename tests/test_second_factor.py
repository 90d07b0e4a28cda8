"""The second factor (django-otp TOTP, recovery codes) is required for the roles named in DOUDI_2FA_ROLES: no
page and no API call opens before it is passed; enrolment by QR code; recovery codes work once; failures audited;
an administrator resets a lost phone; tokens of an unenrolled person do not open."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from doudi.accounts.actions import token_create
from doudi.accounts.events import AccountEvent
from doudi.audit.models import AuditEvent

ROLES = ("system_admin", "security_admin", "audit_admin", "county_approver", "finance_officer", "auditor")


@pytest.fixture(autouse=True)
def required(settings):
    settings.DOUDI_2FA_ROLES = ROLES


def code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def enrol(client) -> list[str]:
    client.get("/accounts/2fa/")
    device = TOTPDevice.objects.get(confirmed=False)
    page = client.post("/accounts/2fa/", {"token": code(device), "next": "/staff/"}).content.decode()
    return re.findall(r"<code>(\d{8})</code>", page)


def test_an_administrator_reaches_nothing_before_the_second_factor(client, staff):
    admin = staff["admin"]
    client.force_login(admin)
    for path in ("/", "/staff/", "/audit/", "/households/"):
        r = client.get(path)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/2fa/?next="), path
    r = client.get("/api/v1/households")
    assert r.status_code == 403 and r.json()["code"] == "second_factor_required"
    page = client.get("/accounts/2fa/").content.decode()
    assert "<svg" in page and "otpauth" not in page and "身份验证器" in page  # the QR code, drawn here
    assert re.search(r'<code class="secret" translate="no">[A-Z2-7]{32}</code>', page)


def test_enrolment_then_pages_open_and_recovery_codes_work_once(client, staff):
    client.force_login(staff["admin"])
    client.get("/accounts/2fa/")
    wrong = client.post("/accounts/2fa/", {"token": "000000"}).content.decode()
    assert "动态口令不正确" in wrong and not TOTPDevice.objects.filter(confirmed=True).exists()
    codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(action=AccountEvent.OTP_ENROL, actor=staff["admin"]).count() == 1
    # a new session: the app's code or one recovery code, once
    client.logout()
    client.force_login(staff["admin"])
    assert client.get("/staff/").status_code == 302
    r = client.post("/accounts/2fa/", {"token": codes[0], "next": "/staff/"})
    assert r.status_code == 302 and r["Location"] == "/staff/" and client.get("/staff/").status_code == 200
    client.logout()
    client.force_login(staff["admin"])
    again = client.post("/accounts/2fa/", {"token": codes[0]}).content.decode()
    assert "不正确" in again
    assert AuditEvent.objects.filter(action=AccountEvent.OTP_FAILED, actor=staff["admin"]).count() == 1
    device = TOTPDevice.objects.get(user=staff["admin"], confirmed=True)
    device.throttle_reset()
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # as 30 seconds later: a code is never taken twice
    assert client.post("/accounts/2fa/", {"token": code(device), "next": "/"}).status_code == 302


def test_a_role_that_does_not_require_it_is_not_asked(client, staff):
    client.force_login(staff["caseworker_a"])
    assert client.get("/households/").status_code == 200


def test_tokens_of_a_person_without_a_device_do_not_open(client, staff):
    _t, key = token_create(actor=staff["approver"], name="t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/households", **headers).status_code == 401
    client.force_login(staff["approver"])
    enrol(client)
    client.logout()
    assert client.get("/api/v1/households", **headers).status_code == 200


def test_the_security_administrator_resets_a_lost_phone(client, staff):
    from doudi.accounts.actions import staff_create

    from .conftest import PASSWORD

    security = staff_create(
        actor=None, username="sec", password=PASSWORD, role="security_admin", area_code="511425000000"
    )
    client.force_login(security)
    enrol(client)
    TOTPDevice.objects.create(user=staff["caseworker_a"], name="手机动态口令", confirmed=True)
    assert client.post(f"/staff/{staff['caseworker_a'].pk}/toggle/").status_code == 403  # not theirs
    r = client.post(f"/security/accounts/{staff['caseworker_a'].pk}/2fa-reset/")
    assert r.status_code == 302 and not TOTPDevice.objects.filter(user=staff["caseworker_a"]).exists()
    assert AuditEvent.objects.filter(action=AccountEvent.OTP_RESET, target_id=str(staff["caseworker_a"].pk)).exists()


def test_the_demo_code_command_shows_demo_devices_only(staff, capsys):
    from doudi.accounts.twofactor import demo_device

    device = TOTPDevice.objects.create(user=staff["admin"], name="手机动态口令", confirmed=True)
    with pytest.raises(CommandError, match="演示"):
        call_command("otp", "code", staff["admin"].username)
    device.delete()
    demo = demo_device(staff["admin"], "3132333435363738393031323334353637383930")
    call_command("otp", "code", staff["admin"].username)
    assert capsys.readouterr().out.strip() == code(demo)
