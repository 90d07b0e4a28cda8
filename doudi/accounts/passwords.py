"""Password rules beyond Django's (MLPS level 3, identification): at least three of the four character classes,
and none of the last few passwords used again. Listed in AUTH_PASSWORD_VALIDATORS with Django's common-password and
similarity-to-the-username checks. The length, the number of earlier passwords refused and the age limit are the
security policy's (doudi/accounts/policy.py: the security administrator's, never weaker than the settings)."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .policy import policy_current


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with the policy's length (at least ``min_length`` if given) and a message in this project's catalogue
    (Django's Chinese lacks its newer wording)."""

    def __init__(self, min_length: int = 0):
        self.min_length = min_length

    def _length(self) -> int:
        return max(self.min_length, policy_current().password_min_length)

    def validate(self, password, user=None):
        if len(password) < self._length():
            raise ValidationError(_("密码太短：至少%(n)d个字符") % {"n": self._length()}, code="password_too_short")

    def get_help_text(self):
        return _("至少%(n)d个字符") % {"n": self._length()}


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _("须包含小写字母、大写字母、数字、符号中的至少%(n)d类") % {"n": self.min_classes},
                code="password_classes",
            )

    def get_help_text(self):
        return _("包含小写字母、大写字母、数字、符号中的至少%(n)d类") % {"n": self.min_classes}


class PasswordHistoryValidator:
    def __init__(self, count: int | None = None):
        self.count = count

    def _count(self) -> int:
        return self.count if self.count is not None else policy_current().password_history

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        recent = user.password_history.order_by("-id").values_list("password", flat=True)[: self._count()]
        if any(check_password(password, encoded) for encoded in recent):
            raise ValidationError(_("不能与最近%(n)d次用过的密码相同") % {"n": self._count()}, code="password_reused")

    def get_help_text(self):
        return _("不能与最近%(n)d次用过的密码相同") % {"n": self._count()}
