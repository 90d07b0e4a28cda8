"""Targets: the year's figure an indicator should reach in an area, entered by one county officer and approved by
another (the demo county's: cumulative monthly per-capita subsidy 220 urban and 120 rural yuan)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

STAFF = settings.AUTH_USER_MODEL


class TargetStatus(models.TextChoices):
    DRAFT = "draft", _("待审批")
    APPROVED = "approved", _("已批准")
    SUPERSEDED = "superseded", _("已被替换")


class Target(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"))
    code = models.CharField(_("指标代码"), max_length=12)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, verbose_name=_("区划"))
    value = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2)
    note = models.CharField(_("依据"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=TargetStatus.choices, default=TargetStatus.DRAFT)
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "code", "area_id", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "code", "area"], condition=Q(status="approved"), name="one_approved_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.code} {self.area_id}"


class Snapshot(models.Model):
    """The dashboard's figures of one area and month, computed in the background (``tasks.snapshots_refresh``) so a
    dashboard at a million households reads a few rows instead of summing payroll lines; it shows when they were
    computed. Derived data: recomputed whole, never edited."""

    prefix = models.CharField(max_length=12)  # the area's significant digits ("" = everything)
    month = models.DateField()
    data = models.JSONField()  # {code: {"value": …, "year_to_date": …}} for the dashboard's indicators
    # every indicator of the catalogue, for the figures page: {code: {"value", "previous", "year_to_date"}}
    figures = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "month"], name="one_snapshot_per_area_month")]
