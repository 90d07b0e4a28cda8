"""The payments app's audit event types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.audit.details import register_fields
from doudi.audit.events import register


class PaymentEvent(models.TextChoices):
    PAYROLL_GENERATE = "payroll.generate", _("生成发放表")
    PAYROLL_CHECK = "payroll.check", _("复核发放表")
    ANOMALY_ACCEPTED = "payroll.anomaly_accepted", _("接受异常并说明")
    ANOMALY_RESOLVED = "payroll.anomaly_resolved", _("异常已纠正")
    PAYROLL_APPROVE = "payroll.approve", _("审批发放表")
    PAYROLL_CANCEL = "payroll.cancel", _("作废发放表")
    PAYROLL_EXPORT = "payroll.export", _("导出银行文件")
    BANK_RETURN = "payroll.bank_return", _("导入银行回盘")
    REPAYMENT = "overpayment.repayment", _("登记退回多发金额")


register(PaymentEvent)
register_fields({"oneoffs_ended": ("一次性发放已办结", "One-off payments ended")})
