"""Which parameters are in force for a programme, on a date, in an area."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.core.errors import ApplicationError

from .models import ParameterVersion, VersionStatus
from .params import params_parse


@dataclass
class ParamsInForce:
    values: dict
    versions: list[ParameterVersion]
    county_code: str
    in_county: bool


def _county_of(area: str | None) -> str | None:
    return area[:6] + "000000" if area else None


def params_in_force(
    programme: str, on: dt.date, area: str | None = None, draft: ParameterVersion | None = None
) -> ParamsInForce:
    """The county default version in force on ``on`` (latest approved ``effective_from`` ≤ ``on``), overlaid by
    the township's override in force, if any. ``draft`` is treated as approved (what-if simulation)."""
    approved = Q(status=VersionStatus.APPROVED)
    if draft is not None:
        approved |= Q(pk=draft.pk)
    versions = ParameterVersion.objects.filter(approved, programme_id=programme, effective_from__lte=on)
    counties = sorted(set(versions.filter(area__level="county").values_list("area_id", flat=True)))
    county = _county_of(area)
    in_county = True
    if county not in counties:
        if area and len(counties) == 1:
            county, in_county = counties[0], False
        elif not area and len(counties) == 1:
            county = counties[0]
        elif not counties:
            raise ApplicationError(
                f"{on:%Y-%m-%d} 没有生效的 {programme} 参数版本",
                f"No {programme} parameter version in force on {on:%Y-%m-%d}",
                field="on",
                code="no_parameters",
            )
        else:
            raise ApplicationError(
                "有多个县的参数，请填写区划代码",
                "Several counties have parameters: give the area",
                field="area",
                code="area_required",
            )
    chain = []
    base = versions.filter(area_id=county).order_by("-effective_from", "-pk").first()
    chain.append(base)
    values = dict(base.values)
    if area and in_county and len(area) >= 9 and area[6:9] != "000":
        township = area[:9] + "000"
        override = versions.filter(area_id=township).order_by("-effective_from", "-pk").first()
        if override is not None:
            values.update(override.values)
            chain.append(override)
    return ParamsInForce(params_parse(programme, values), chain, county, in_county)


def versions_to_approve(user) -> list[ParameterVersion]:
    """Draft parameter versions of the person's area that they may approve (not those they drafted)."""
    if not user.has_role_perm(Perm.PARAMETERS_APPROVE):
        return []
    return list(
        scope.visible(user, "programmes.ParameterVersion", act=True)
        .filter(status=VersionStatus.DRAFT)
        .exclude(created_by=user)
        .select_related("programme", "area", "created_by")
        .order_by("effective_from", "id")[:20]
    )
