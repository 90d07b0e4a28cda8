"""The second factor (django-otp): a TOTP authenticator app enrolled with a QR code, and ten one-time recovery
codes. Required — not optional — for the roles of the security policy (doudi/accounts/policy.py: the three
administrators, approvers, finance officers and auditors by default, DOUDI_2FA_ROLES being the floor; "all" for
every role): until such a person has passed the second factor in
this session, no page but the second-factor page opens, and the API answers 403 (their tokens answer 401 while
they have no enrolled device).

The device interface is django-otp's ``Device`` (``verify_token(token) -> bool``): a hardware token under GM/T 0021
(SM3 one-time passwords) is one (``HardwareTokenDevice``, bound by the security administrator with
``hardware_token_bind``); a USB key holding an SM2 certificate would be another ``Device`` subclass, matched by
``match_token`` like the TOTP and recovery-code devices (docs/security.md, "Plugging in another second factor").
"""

from __future__ import annotations

import re
import secrets

from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from doudi.audit.actions import audit_record
from doudi.core.errors import ApplicationError

from .events import AccountEvent
from .gmtoken import MAX_SEED_BYTES, MIN_SEED_BYTES
from .models import HardwareTokenDevice
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


SERIAL = re.compile(r"^[0-9A-Za-z-]{4,32}$")
SEED = re.compile(rf"^(?:[0-9A-Fa-f]{{2}}){{{MIN_SEED_BYTES},{MAX_SEED_BYTES}}}$")


@transaction.atomic
def hardware_token_bind(*, actor, staff, serial: str, seed: str, code: str) -> HardwareTokenDevice:
    """The security administrator binds a GM/T 0021 hardware token to ``staff`` with the serial and seed key the
    vendor delivered, and the code the token shows now: a token whose codes the seed does not give (a wrong seed, a
    typo, another algorithm) is refused before anything is saved. One token, one person; a person's earlier token
    is replaced; the app and recovery codes stay. Audited with the serial, never the seed."""
    perm_require(actor, Perm.SECURITY_MANAGE)
    area_get(actor, staff.area_id)
    if staff.pk == actor.pk:
        raise ApplicationError(
            "不能给自己绑定令牌，请由另一名安全管理员办理",
            "You cannot bind a token to yourself: ask another security administrator",
            field="staff",
            code="own_second_factor",
        )
    serial = (serial or "").strip()
    seed = (seed or "").strip().replace(" ", "")
    code = (code or "").strip()
    if not SERIAL.match(serial):
        raise ApplicationError(
            "令牌序列号应为4至32位字母、数字或短横线",
            "The token serial is 4 to 32 letters, digits or hyphens",
            field="serial",
            code="invalid",
        )
    if not SEED.match(seed):
        raise ApplicationError(
            f"种子密钥应为{MIN_SEED_BYTES * 2}至{MAX_SEED_BYTES * 2}位十六进制字符（厂商随令牌提供）",
            f"The seed key is {MIN_SEED_BYTES * 2} to {MAX_SEED_BYTES * 2} hexadecimal characters (from the vendor)",
            field="seed",
            code="invalid",
        )
    taken = HardwareTokenDevice.objects.filter(serial=serial).exclude(user=staff).select_related("user").first()
    if taken is not None:
        raise ApplicationError(
            f"序列号为{serial}的令牌已绑定给{taken.user}",
            f"The token {serial} is already bound to {taken.user}",
            field="serial",
            code="taken",
        )
    HardwareTokenDevice.objects.filter(user=staff).delete()
    device = HardwareTokenDevice(
        user=staff, name=f"国密令牌 {serial}", serial=serial, seed=seed.lower(), confirmed=True
    )
    if not (code.isdigit() and len(code) == device.digits and device.verify_token(code)):
        raise ApplicationError(
            "令牌当前显示的口令与种子密钥不符：请核对序列号对应的种子，并输入令牌上正在显示的6位口令",
            "The code does not match the seed: check the seed of this serial and enter the 6 digits the token shows",
            field="code",
            code="token_mismatch",
        )
    audit_record(
        actor=actor,
        action=AccountEvent.OTP_TOKEN,
        target=staff,
        label=str(staff),
        area_code=_area(staff),
        new={"serial": serial, "algorithm": "GM/T 0021 SM3", "step": device.step, "digits": device.digits},
    )
    return device


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
