"""Reference data's audit event types (areas and the holiday calendar)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.audit.events import register


class AreaEvent(models.TextChoices):
    AREAS_IMPORT = "areas.import", _("导入行政区划")
    CALENDAR_LOAD = "calendar.load", _("载入节假日安排")
    SHAPES_LOAD = "areas.shapes", _("载入区划边界")


register(AreaEvent)
