"""Premium subsidies for the year's residents' medical insurance (domain.md §4): a yearly roster built from the
enrolments — each tekun recipient gets the whole individual premium (params premium_tekun_full,
premium_individual), each current member of a dibao household the fixed subsidy (param premium_dibao), never
more than the premium — paid once through the payroll. A person is subsidised once a year (a database
constraint); the roster rerun adds only those enrolled since."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.benefits.actions import grant_record
from doudi.cases.models import Enrolment, EnrolmentStatus
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.money import ZERO, fmt, month_start
from doudi.programmes.selectors import params_in_force
from doudi.registry.models import Membership

from .events import MedicalEvent
from .models import Group, PremiumSubsidy

LIVE = (EnrolmentStatus.ACTIVE, EnrolmentStatus.GRADUAL_EXIT)


@dataclass
class PremiumRoster:
    year: int
    added: int = 0
    total: Decimal = ZERO
    by_group: dict = field(default_factory=dict)


def _amount(group: str, params: dict) -> tuple[Decimal, list[dict]]:
    """The subsidy and its explanation (steps as the rules write them)."""
    premium = params["premium_individual"]
    if group == Group.TEKUN:
        amount = premium if params["premium_tekun_full"] else ZERO
        zh = f"特困人员：个人缴费 {fmt(premium)} 元全额资助" if amount else "特困人员：本年度未规定全额资助"
        en = f"Extreme poverty person: the premium of {fmt(premium)} paid in full" if amount else "No full subsidy"
    else:
        amount = min(params["premium_dibao"], premium)
        zh = f"低保对象：定额资助 {fmt(amount)} 元（个人缴费 {fmt(premium)} 元）"
        en = f"Minimum living allowance member: fixed subsidy {fmt(amount)} (premium {fmt(premium)})"
    return amount, [{"rule": "premium_subsidy", "zh": zh, "en": en, "value": fmt(amount)}]


@action
def premium_roster_build(*, actor, year: int, on: dt.date | None = None) -> PremiumRoster:
    """The year's premium subsidies for the actor's area, from the enrolments live on ``on`` (today by default,
    which must fall in ``year``); each paid in the month of ``on``."""
    perm_require(actor, Perm.CASE_DECIDE)
    on = on or timezone.localdate()
    if not isinstance(year, int) or on.year != year:
        raise ApplicationError(
            f"参保资助名册只能在当年生成（今年为{on.year}年）",
            f"The roster is built in its own year ({on.year})",
            field="year",
        )
    prefix = actor.scope_prefix
    if not covers(actor, prefix):
        raise NotFound(field="area")
    month = month_start(on)
    enrolments = Enrolment.objects.filter(area_code__startswith=prefix, status__in=LIVE, start_month__lte=month).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=month)
    )
    tekun = set(enrolments.filter(programme_id="tekun").values_list("person_id", flat=True))
    dibao_households = set(enrolments.filter(programme_id="dibao").values_list("household_id", flat=True))
    members = (
        Membership.objects.filter(end_date__isnull=True, person__deceased=False)
        .filter(Q(person_id__in=tekun) | Q(household_id__in=dibao_households))
        .select_related("person", "household")
        .order_by("person_id")
    )
    done = set(PremiumSubsidy.objects.filter(year=year).values_list("person_id", flat=True))
    roster = PremiumRoster(year=year)
    params_cache: dict[str, dict] = {}
    for m in members:
        if m.person_id in done:
            continue
        group = Group.TEKUN if m.person_id in tekun else Group.DIBAO
        area = m.household.area_id
        if area not in params_cache:
            params_cache[area] = params_in_force("medical", on, area).values
        amount, steps = _amount(group, params_cache[area])
        if amount <= 0:
            continue
        decision = {
            "programme": "medical",
            "eligible": True,
            "amount": fmt(amount),
            "premium_subsidy": True,
            "year": year,
            "group": str(group),
            "explanation": steps,
            "reasons_ineligible": [],
        }
        enrolment = grant_record(
            actor=actor,
            programme="medical",
            household=m.household,
            person=m.person,
            on=on,
            month=month,
            amount=amount,
            decision=decision,
            note=f"{year}年城乡居民医保参保资助",
        )
        PremiumSubsidy.objects.create(
            year=year,
            person=m.person,
            household=m.household,
            area_code=area,
            group=group,
            amount=amount,
            enrolment=enrolment,
            created_by=actor,
        )
        done.add(m.person_id)
        roster.added += 1
        roster.total += amount
        roster.by_group[str(group)] = roster.by_group.get(str(group), 0) + 1
    audit_record(
        actor=actor,
        action=MedicalEvent.PREMIUM_ROSTER,
        kind=EventKind.BATCH,
        label=f"{year}年参保资助名册",
        area_code=prefix.ljust(12, "0")[:12],
        new={"year": year, "added": roster.added, "total": roster.total, **roster.by_group},
    )
    return roster
