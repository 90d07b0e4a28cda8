from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from doudi.core.fields import EncryptedTextField

from .gmtoken import matching_step, time_factor
from .roles import ADMIN_ROLES, ROLE_PERMISSIONS, Role

NO_ROLE = ""  # an account the system administrator created, waiting for the security administrator's grant


class Staff(AbstractUser):
    """A staff account. It belongs to one area and sees and changes only that area's subtree."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    # One role, or none: a new account has none until the security administrator grants one.
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, blank=True)
    # The one of the three administrators (三员) this account was made: set with the first such grant and never
    # changed. The constraint below keeps such an account to that role or none — never another administrator's
    # role nor a business role — so no account can hold two of the three, now or one after the other.
    admin_duty = models.CharField(
        _("管理员职责"),
        max_length=32,
        choices=[(r.value, r.label) for r in ADMIN_ROLES],
        blank=True,
        editable=False,
    )
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, verbose_name=_("所属区划"))
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    # Set when an administrator resets the password (a one-time password): the next login must change it.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    # When the password was last set: older than DOUDI_PASSWORD_MAX_AGE_DAYS, it must be changed at the next page.
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # The session of the last login: with DOUDI_SINGLE_SESSION, an older session of the same account ends.
    current_session = models.CharField(max_length=40, blank=True, editable=False)

    def set_password(self, raw_password):
        """Every password set is dated and kept (as its hash) among the last few, which may not be used again."""
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()
        self._password_set = True

    def set_password_hash(self, hashed: str):
        """A password already hashed by ``make_password`` (set-up creating many accounts with one password)."""
        self.password = hashed
        self.password_changed_at = timezone.now()
        self._password_set = True

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is not None and "password" in fields:
            kwargs["update_fields"] = {*fields, "password_changed_at"}
        super().save(*args, **kwargs)
        if getattr(self, "_password_set", False):
            self._password_set = False
            PasswordHistory.objects.create(staff=self, password=self.password)
            keep = PasswordHistory.objects.filter(staff=self).order_by("-id").values_list("id", flat=True)[:20]
            PasswordHistory.objects.filter(staff=self).exclude(id__in=list(keep)).delete()

    def password_expired(self) -> bool:
        from .policy import policy_current  # noqa: PLC0415  (the policy's model is defined below)

        days = policy_current().password_max_age_days
        return bool(days) and (
            self.password_changed_at is None or timezone.now() - self.password_changed_at > dt.timedelta(days=days)
        )

    class Meta:
        verbose_name = _("工作人员")
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=[*Role.values, NO_ROLE]), name="staff_role_known"),
            models.CheckConstraint(
                condition=(models.Q(admin_duty="") & ~models.Q(role__in=[r.value for r in ADMIN_ROLES]))
                | (
                    models.Q(admin_duty__in=[r.value for r in ADMIN_ROLES])
                    & (models.Q(role=models.F("admin_duty")) | models.Q(role=NO_ROLE))
                ),
                name="staff_one_administrator_duty",
                violation_error_message=_("三员分立：一个账号只能担任系统管理员、安全管理员、安全审计员中的一个"),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def has_role_perm(self, perm: str) -> bool:
        return self.is_active and perm in ROLE_PERMISSIONS.get(self.role, frozenset())

    @property
    def scope_prefix(self) -> str:
        """Code prefix of the area subtree this account may see. No area, nothing (never everything)."""
        if self.area_id is None:
            return "-"  # matches no 12-digit code
        return self.area.prefix


class ApiToken(models.Model):
    """A bearer token for /api/v1. Only its SHA-256 is stored; the token is shown once when made."""

    user = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "dd_" + secrets.token_urlsafe(32)


class PasswordHistory(models.Model):
    """The hashes of a person's recent passwords (never the passwords): the last few may not be used again."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)


class SecurityPolicy(models.Model):
    """The password, session and second-factor policy the security administrator sets (one row; absent, the
    settings apply). The settings are also its floor: the policy may only be stricter than they are
    (doudi/accounts/policy.py checks each value; docs/security.md)."""

    password_min_length = models.PositiveSmallIntegerField(_("密码最短长度"))
    password_max_age_days = models.PositiveSmallIntegerField(_("密码有效天数"))
    password_history = models.PositiveSmallIntegerField(_("不得重复使用的最近密码数"))
    idle_minutes = models.PositiveSmallIntegerField(_("无操作自动退出（分钟）"))
    single_session = models.BooleanField(_("一个账号只能在一处登录"))
    second_factor_roles = models.JSONField(_("须使用第二重验证的角色"), default=list)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("安全策略")


class HardwareTokenDevice(ThrottlingMixin, TimestampMixin, Device):
    """A hardware one-time-password token under GM/T 0021 (SM3, time-based; doudi/accounts/gmtoken.py), bound to
    one person by the security administrator with the serial and seed the vendor delivered. A django-otp ``Device``
    like the authenticator app and the recovery codes: the second-factor page accepts its codes without knowing
    it is there. The seed is sealed like any personal data (``otp_seed``); a code is accepted once (a replay within
    its minute is refused) and repeated failures slow down as for the app."""

    serial = models.CharField(_("令牌序列号"), max_length=32, unique=True)
    seed = EncryptedTextField(_("种子密钥"), domain="otp_seed")
    step = models.PositiveSmallIntegerField(_("口令变化周期（秒）"), default=60)
    digits = models.PositiveSmallIntegerField(_("口令位数"), default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta:
        verbose_name = _("国密动态令牌")

    def verify_token(self, token) -> bool:
        allowed, _data = self.verify_is_allowed()
        if not allowed:
            return False
        token = str(token or "").strip()
        t = None
        if token.isdigit() and len(token) == self.digits:
            t = matching_step(
                bytes.fromhex(self.seed),
                token,
                step=self.step,
                digits=self.digits,
                around=time_factor(self.step) + self.drift,
                tolerance=self.tolerance,
            )
        if t is None or t <= self.last_t:  # a code already used (or an older one) is refused
            self.throttle_increment(commit=True)
            return False
        self.drift, self.last_t = t - time_factor(self.step), t
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    def get_throttle_factor(self) -> int:
        return 1
