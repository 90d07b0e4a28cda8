"""The statistics app's audit event types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.audit.details import register_fields
from doudi.audit.events import register


class StatisticsEvent(models.TextChoices):
    TARGET_ENTER = "target.enter", _("录入年度目标")
    TARGET_APPROVE = "target.approve", _("审批年度目标")
    SNAPSHOTS_REFRESH = "statistics.refresh", _("重新计算统计看板")


register(StatisticsEvent)

# the keys the refresh writes
register_fields(
    {
        "areas": ("区划数", "Areas"),
        "months": ("月份数", "Months"),
        "snapshots": ("看板数据条数", "Snapshots"),
        "asked": ("由人员发起", "Asked by a person"),
    }
)
