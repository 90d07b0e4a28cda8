"""The second factor (django-otp): a TOTP authenticator app enrolled with a QR code, and ten one-time recovery
codes. Required — not optional — for the roles of the security policy (doudi/accounts/policy.py: the three
administrators, approvers, finance officers and auditors by default, DOUDI_2FA_ROLES being the floor; "all" for
every role): until such a person has passed the second factor in
this session, no page but the second-factor page opens, and the API answers 403 (their tokens answer 401 while
they have no enrolled device).

The device interface is django-otp's ``Device`` (``verify_token(token) -> bool``): a token under GM/T 0021 (SM3
one-time passwords) or a USB key holding an SM2 certificate plugs in as another ``Device`` subclass, listed by
``devices_for`` like the TOTP and recovery-code devices (docs/security.md).
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from doudi.audit.actions import audit_record
from doudi.core.errors import ApplicationError

from .events import AccountEvent
from .policy import policy_current
from .roles import Perm
from .scope import area_get, perm_require

APP_DEVICE = "手机动态口令"
RECOVERY_DEVICE = "备用码"
DEMO_DEVICE = "演示令牌"  # the demo county's accounts: `doudi otp code <user>` shows the current code
RECOVERY_CODES = 10


def second_factor_required(user) -> bool:
    return bool(user and user.is_authenticated and policy_current().second_factor_for(getattr(user, "role", "")))


def has_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolment_start(user) -> TOTPDevice:
    """The unconfirmed device whose QR code the enrolment page shows (the same one until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def _recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def enrolment_confirm(*, user, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the app by its first code; returns the recovery codes (shown once)."""
    if device.user_id != user.pk or device.confirmed:
        raise ApplicationError("该令牌不能再确认", "This device cannot be confirmed", field="token")
    if not (token or "").strip().isdigit() or not device.verify_token(token.strip()):
        raise ApplicationError(
            "动态口令不正确：请核对手机时间，输入应用中当前显示的6位数字",
            "Wrong code: check the phone's clock and enter the 6 digits the app shows now",
            field="token",
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes(user)
    audit_record(actor=user, action=AccountEvent.OTP_ENROL, target=user, label=str(user), area_code=_area(user))
    return codes


def verify(*, user, token: str):
    """The device that accepts ``token`` (an app code or a recovery code, which is then used up), or None; a
    failure is audited (the devices themselves slow down repeated failures)."""
    token = (token or "").strip().replace(" ", "")
    device = match_token(user, token) if token else None
    if device is None:
        with transaction.atomic():
            audit_record(
                actor=user, action=AccountEvent.OTP_FAILED, target=user, label=str(user), area_code=_area(user)
            )
    return device


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    codes = _recovery_codes(user)
    audit_record(actor=user, action=AccountEvent.RECOVERY_CODES, target=user, label=str(user), area_code=_area(user))
    return codes


@transaction.atomic
def second_factor_reset(*, actor, staff) -> None:
    """The security administrator clears a person's devices (lost phone): they enrol again at their next login.
    ``actor`` None is the server's shell (``doudi otp reset``)."""
    if actor is not None:
        perm_require(actor, Perm.SECURITY_MANAGE)
        area_get(actor, staff.area_id)
    for device in devices_for_user(staff, confirmed=None):
        device.delete()
    audit_record(actor=actor, action=AccountEvent.OTP_RESET, target=staff, label=str(staff), area_code=_area(staff))


def demo_device(user, key_hex: str) -> TOTPDevice:
    """A confirmed device with a known key, for the demo county's logins only."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=DEMO_DEVICE, key=key_hex, confirmed=True)


def _area(user) -> str:
    return getattr(user, "area_id", None) or ""
