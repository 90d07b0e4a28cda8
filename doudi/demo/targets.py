"""The demo county's targets, as the seed states them: cumulative monthly per-capita dibao subsidy 220 yuan urban
and 120 yuan rural, entered by the county reviewer and approved by the county approver, for each year of the
history."""

from __future__ import annotations

from doudi.statistics.actions import target_approve, target_enter
from doudi.statistics.models import Target

from .county import COUNTY_CODE

SEED_TARGETS = {"DB0302100000": "220.00", "DB0302200000": "120.00"}


def demo_targets(*, years, reviewer, approver) -> int:
    made = 0
    for year in years:
        for code, value in SEED_TARGETS.items():
            if Target.objects.filter(year=year, code=code, area_id=COUNTY_CODE + "000000").exists():
                continue
            t = target_enter(
                actor=reviewer,
                year=year,
                code=code,
                area_code=COUNTY_CODE + "000000",
                value=value,
                note="县民政局年度目标任务",
            )
            target_approve(actor=approver, target_id=t.pk)
            made += 1
    return made
