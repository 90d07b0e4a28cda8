from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import ROLE_PERMISSIONS, Role


class Staff(AbstractUser):
    """A staff account. It belongs to one area and sees and changes only that area's subtree."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, verbose_name=_("所属区划"))
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    # Set when an administrator resets the password (a one-time password): the next login must change it.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("工作人员")

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
