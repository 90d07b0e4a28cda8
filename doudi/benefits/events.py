"""The benefits app's audit event types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.audit.events import register


class BenefitEvent(models.TextChoices):
    GRANT = "benefit.grant", _("核定救助并纳入发放")
    ROSTER_BUILD = "benefit.roster_build", _("生成高龄津贴名册")
    FUNERAL_HOME_CREATE = "benefit.funeral_home_create", _("登记殡仪馆")
    DEATH_RECORD = "benefit.death_record", _("登记死亡（各救助项目同时停发或复核）")


register(BenefitEvent)
