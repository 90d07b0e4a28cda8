"""The medical app's audit event types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.audit.details import register_fields
from doudi.audit.events import register


class MedicalEvent(models.TextChoices):
    SETTLEMENT_IMPORT = "medical.settlement_import", _("导入医疗费用结算文件")
    SETTLEMENT_ENTER = "medical.settlement_enter", _("录入医疗费用结算")
    PREMIUM_ROSTER = "medical.premium_roster", _("生成参保资助名册")
    CERTIFICATE_IMPORT = "medical.certificate_import", _("导入残疾人证")
    CERTIFICATE_REVIEW = "medical.certificate_review", _("残联审核残疾人证")
    CERTIFICATE_DECIDE = "medical.certificate_decide", _("审批残疾人两项补贴")
    DISABILITY_FOLLOW = "medical.disability_follow", _("两项补贴随低保调整")


register(MedicalEvent)
register_fields(
    {
        "number": ("结算单号", "Settlement number"),
        "claims": ("结算笔数", "Settlements"),
        "paid": ("给予救助", "Assisted"),
        "total": ("金额合计", "Total"),
        "sha256": ("文件校验值", "File checksum"),
        "year": ("年度", "Year"),
        "added": ("新纳入", "Added"),
        "deductible_applied": ("本次扣除起付线", "Deductible used"),
        "cap_left": ("年度限额剩余", "Annual cap left"),
        "grade": ("残疾等级", "Disability grade"),
        "approve": ("批准", "Approved"),
        "certificates": ("证件数", "Certificates"),
        "started": ("新纳入", "Started"),
    }
)
