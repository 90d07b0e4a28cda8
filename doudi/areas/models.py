from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    PREFECTURE = "prefecture", _("市")
    COUNTY = "county", _("县")
    TOWNSHIP = "township", _("乡镇/街道")
    VILLAGE = "village", _("村/社区")


# Significant digits of the 12-digit statistical division code at each level:
# 2 province + 2 prefecture + 2 county (GB/T 2260) + 3 township + 3 village.
PREFIX_LENGTH = {
    AreaLevel.PROVINCE: 2,
    AreaLevel.PREFECTURE: 4,
    AreaLevel.COUNTY: 6,
    AreaLevel.TOWNSHIP: 9,
    AreaLevel.VILLAGE: 12,
}


class AreaKind(models.TextChoices):
    URBAN = "urban", _("城镇")
    RURAL = "rural", _("农村")


class Area(models.Model):
    """A division in the 12-digit statistical code tree. The code is the key, so a subtree is a
    code prefix: scope checks on households need no join (``area_id LIKE '511425001%'``)."""

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=12, choices=AreaLevel.choices)
    kind = models.CharField(_("城乡类型"), max_length=8, choices=AreaKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级区划")
    )
    prefix = models.CharField(max_length=12, db_index=True, editable=False)
    # The area's boundary as a GeoJSON Polygon or MultiPolygon (longitude, latitude), drawn on the dashboards' map
    # of townships (areas/shapes.py); none until loaded.
    shape = models.JSONField(_("边界"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")

    def save(self, *args, **kwargs):
        self.prefix = self.code[: PREFIX_LENGTH[AreaLevel(self.level)]]
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        names, node = [], self
        while node is not None and node.level not in (AreaLevel.PROVINCE, AreaLevel.PREFECTURE):
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))

    def contains(self, code: str) -> bool:
        return code.startswith(self.prefix)
