"""The demo county's audit event types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.audit.events import register


class DemoEvent(models.TextChoices):
    GENERATE_BATCH = "demo.generate_batch", _("生成演示数据")


register(DemoEvent)
