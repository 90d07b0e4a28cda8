"""A family moving between townships in the demo county: one dibao household of 瑞峰镇 (caseworker2's township)
has asked to move to a village of 汉阳镇, so the demo caseworker finds it on the home page, to accept or send
back (docs/registry.md, "A household moving to another township")."""

from __future__ import annotations

import datetime as dt

from doudi.accounts.models import Staff
from doudi.areas.models import Area
from doudi.benefits.transfers import transfer_request
from doudi.cases.models import Enrolment, EnrolmentStatus


def transfers_demo(*, today: dt.date) -> int:
    """Ask for the move; returns how many moves were asked for (0 when the county has no such household)."""
    leaving = Staff.objects.get(username="caseworker2")
    receiving = Staff.objects.get(username="caseworker")
    enrolment = (
        Enrolment.objects.filter(
            programme_id="dibao", status=EnrolmentStatus.ACTIVE, area_code__startswith=leaving.scope_prefix
        )
        .select_related("household")
        .order_by("pk")
        .first()
    )
    village = Area.objects.filter(level="village", code__startswith=receiving.scope_prefix).order_by("code").first()
    if enrolment is None or village is None:
        return 0
    transfer_request(
        actor=leaving,
        household=enrolment.household,
        to_area=village.code,
        moved_on=today - dt.timedelta(days=3),
        address=f"{village.name}2组",
        reason="投靠在汉阳镇务工的儿子，已在当地租房居住",
    )
    return 1
