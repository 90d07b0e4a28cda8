"""The policy engine's audit event types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.audit.events import register


class ProgrammeEvent(models.TextChoices):
    PARAMETERS_LOAD = "parameters.load", _("载入政策参数包")
    PARAMETERS_DRAFT = "parameters.draft", _("起草参数版本")
    PARAMETERS_APPROVE = "parameters.approve", _("批准参数版本")
    PARAMETERS_WITHDRAW = "parameters.withdraw", _("撤回参数版本")
    EVALUATION_RUN = "evaluation.run", _("批量测算")
    EVALUATION_SIMULATE = "evaluation.simulate", _("模拟测算（草稿标准）")


register(ProgrammeEvent)
