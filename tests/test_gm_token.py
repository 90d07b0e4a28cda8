"""Hardware one-time-password tokens under GM/T 0021 (SM3, time-based) plug into the second factor as another
django-otp device: the security administrator binds one with its serial, the vendor's seed and the code it shows
(a wrong seed is refused, nothing saved), the person logs in with its codes, a code is accepted once, the seed is
sealed and never audited; the reset clears it like the app."""

import io
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from doudi.accounts.events import AccountEvent
from doudi.accounts.gmtoken import sm3, sm3_otp, time_factor
from doudi.accounts.models import HardwareTokenDevice
from doudi.accounts.twofactor import second_factor_reset
from doudi.audit.models import AuditEvent
from doudi.core.crypto import is_sealed

from .conftest import PASSWORD

SEED = "00112233445566778899aabbccddeeff0123456789abcdef"


def test_sm3_is_the_national_standard_s_and_the_code_has_six_digits():
    # GB/T 32905-2016, appendix A, example 1
    assert sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    codes = {sm3_otp(bytes.fromhex(SEED), t) for t in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes) and len(codes) > 190
    assert sm3_otp(bytes.fromhex(SEED), 5) != sm3_otp(bytes.fromhex(SEED), 5, counter=1)


def now_code(offset=0) -> str:
    return sm3_otp(bytes.fromhex(SEED), time_factor(60) + offset)


def test_the_security_administrator_binds_a_token_and_the_person_logs_in_with_it(
    db, staff, admins, client_for, settings
):
    approver = staff["approver"]
    page = client_for(admins["security"])
    assert "绑定国密动态令牌" in page.get(f"/security/accounts/{approver.pk}/token/").content.decode()
    url = f"/security/accounts/{approver.pk}/token/"
    wrong_seed = page.post(url, {"serial": "HT-0001", "seed": "12xyz", "code": "123456"}).content.decode()
    assert "种子密钥应为32至128位十六进制字符" in wrong_seed
    other_seed = "ff" * 16  # a typo in the seed: the token's code does not match it
    mismatch = page.post(url, {"serial": "HT-0001", "seed": other_seed, "code": now_code()}).content.decode()
    assert "口令与种子密钥不符" in mismatch and not HardwareTokenDevice.objects.exists()
    r = page.post(url, {"serial": "HT-0001", "seed": SEED.upper(), "code": now_code()})
    assert r.status_code == 302 and r["Location"] == f"/security/accounts/{approver.pk}/"
    account = page.get(r["Location"]).content.decode()
    assert "序列号 HT-0001" in account
    # the security record names what it kept in Chinese, not by the audit's keys
    assert (
        "口令位数" in account and "口令变化间隔（秒）" in account and '<span class="muted">digits</span>' not in account
    )
    # the seed sealed in the database, and not in the audit trail
    with connection.cursor() as cursor:
        cursor.execute("SELECT seed FROM accounts_hardwaretokendevice")
        assert is_sealed(cursor.fetchone()[0])
    event = AuditEvent.objects.get(action=AccountEvent.OTP_TOKEN)
    assert event.new["serial"] == "HT-0001" and SEED not in str(event.new).lower()

    # the approver's role requires the second factor: the token's next code opens the pages, once
    settings.DOUDI_2FA_ROLES = ("county_approver",)
    person = Client()
    assert person.post("/accounts/login/", {"username": approver.username, "password": PASSWORD}).status_code == 302
    r = person.get("/households/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/2fa/")
    assert "国密动态令牌" in person.get("/accounts/2fa/").content.decode()
    login_t = time_factor(60) + 1  # the minute after the one used to bind (that one is spent)
    code = sm3_otp(bytes.fromhex(SEED), login_t)
    assert person.post("/accounts/2fa/", {"token": code, "next": "/households/"}).status_code == 302
    assert person.get("/households/").status_code == 200
    # the same code again, in another session: refused (and so is the one used to bind)
    again = Client()
    again.post("/accounts/login/", {"username": approver.username, "password": PASSWORD})
    assert "动态口令或备用码不正确" in again.post("/accounts/2fa/", {"token": code}).content.decode()
    device = HardwareTokenDevice.objects.get()
    device.throttle_reset()  # not slowed down by that failure: refused because that minute is spent
    assert not device.verify_token(now_code()) and device.last_t == login_t

    # a lost token: the reset clears it with the rest
    second_factor_reset(actor=admins["security"], staff=approver)
    assert not HardwareTokenDevice.objects.exists()


def test_the_api_binds_one_token_to_one_person_only(db, staff, admins, client_for):
    api = client_for(admins["security"])
    r = api.post(
        f"/api/v1/security/accounts/{staff['approver'].pk}/hardware-token",
        {"serial": "HT-0002", "seed": SEED, "code": now_code()},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["second_factor"] is True
    r = api.post(
        f"/api/v1/security/accounts/{staff['auditor'].pk}/hardware-token",
        {"serial": "HT-0002", "seed": SEED, "code": now_code(+1)},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["field"] == "serial" and "已绑定给" in r.json()["message"]
    # nobody but the security administrator binds one
    caseworker = client_for(staff["caseworker_a"])
    r = caseworker.post(
        f"/api/v1/security/accounts/{staff['auditor'].pk}/hardware-token",
        {"serial": "HT-0003", "seed": SEED, "code": now_code()},
        content_type="application/json",
    )
    assert r.status_code == 403


def test_the_vendor_s_test_vectors_are_checked_from_the_shell(db):
    out = io.StringIO()
    at = int(time.time())
    call_command("otp", "token-check", seed=SEED, time=at, stdout=out)
    assert out.getvalue().strip() == f"T={at // 60} {sm3_otp(bytes.fromhex(SEED), at // 60)}"


@pytest.fixture(autouse=True)
def _keys(settings, tmp_path):
    from doudi.core import crypto, keys

    settings.DOUDI_KEY_FILE = tmp_path / "keys.json"
    keys.cache_clear()
    crypto._aeads.clear()
    yield
    keys.cache_clear()
    crypto._aeads.clear()
