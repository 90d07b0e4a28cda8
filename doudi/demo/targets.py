"""The demo county's targets, as the seed states them: cumulative monthly per-capita dibao subsidy 220 yuan urban
and 120 yuan rural, entered by the county reviewer and approved by the county approver, for each year of the
history."""

from __future__ import annotations

from doudi.statistics.actions import target_approve, target_enter
from doudi.statistics.models import Target

from .county import COUNTY_CODE

SEED_TARGETS = {"DB0302100000": "220.00", "DB0302200000": "120.00"}
# next year's, proposed by the county reviewer in December and waiting for the approver (on the approver's home
# page): the seed's targets raised as this year's standards rose (430/400 urban, 260/230 rural), to the yuan
NEXT_YEAR_TARGETS = {"DB0302100000": "236.00", "DB0302200000": "135.00"}


def demo_targets(*, years, reviewer, approver, next_year: int | None = None) -> int:
    """The seed's targets entered and approved for ``years``; next year's entered, awaiting approval."""
    made = 0
    if next_year is not None:
        for code, value in NEXT_YEAR_TARGETS.items():
            if not Target.objects.filter(year=next_year, code=code, area_id=COUNTY_CODE + "000000").exists():
                target_enter(
                    actor=reviewer,
                    year=next_year,
                    code=code,
                    area_code=COUNTY_CODE + "000000",
                    value=value,
                    note="县民政局拟定的下一年度目标任务，随低保标准提高（待审批）",
                )
                made += 1
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
