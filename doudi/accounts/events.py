"""Staff accounts' audit event types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.audit.details import register_fields
from doudi.audit.events import register


class AccountEvent(models.TextChoices):
    STAFF_CREATE = "staff.create", _("创建工作人员账号")
    STAFF_ACTIVATE = "staff.activate", _("启用账号")
    STAFF_DEACTIVATE = "staff.deactivate", _("停用账号")
    STAFF_UPDATE = "staff.update", _("修改工作人员信息")
    STAFF_PASSWORD_RESET = "staff.password_reset", _("重置工作人员密码")
    PASSWORD_CHANGE = "staff.password_change", _("修改本人密码")
    OTP_ENROL = "staff.otp_enrol", _("绑定动态口令")
    OTP_FAILED = "staff.otp_failed", _("动态口令验证失败")
    RECOVERY_CODES = "staff.recovery_codes", _("重新生成备用码")
    OTP_RESET = "staff.otp_reset", _("重置工作人员的第二重验证")
    OTP_TOKEN = "staff.otp_token", _("绑定国密动态令牌")
    ROLE_SET = "staff.role", _("授予或撤销角色")
    UNLOCK = "staff.unlock", _("解除登录锁定")
    POLICY_UPDATE = "security.policy", _("修改密码与登录策略")
    TOKEN_CREATE = "token.create", _("创建接口令牌")
    TOKEN_REVOKE = "token.revoke", _("吊销接口令牌")


register(AccountEvent)

# the keys a hardware token's binding writes (its serial is the device's own field)
register_fields(
    {
        "algorithm": ("算法", "Algorithm"),
        "step": ("口令变化间隔（秒）", "Code changes every (seconds)"),
        "digits": ("口令位数", "Code digits"),
    }
)
