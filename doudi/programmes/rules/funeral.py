"""Basic funeral fee waiver (基本殡葬服务费用减免), demo pack domain.md §5d: the funeral home's actual fee for
each basic service, up to its cap — transport (param cap_transport), cold storage the fee of at most param
cold_storage_days days at most param cap_cold_storage_day a day, cremation (cap_cremation), a basic urn
(cap_urn), ash storage for the first year (cap_ash_storage); anything else is not waived. Paid to the funeral
home; one waiver per deceased resident."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from doudi.core.money import ZERO, cents, fmt

from .decision import Decision, MemberLine
from .inputs import FuneralService, HouseholdInput
from .temporary import event_required

SERVICE_TEXT = {
    "transport": ("遗体接运", "transport"),
    "cold_storage": ("遗体冷藏", "cold storage"),
    "cremation": ("遗体火化", "cremation"),
    "urn": ("基本骨灰盒", "basic urn"),
    "ash_storage": ("骨灰寄存（首年）", "ash storage (first year)"),
    "other": ("其他服务", "other services"),
}
CAPS = {"transport": "cap_transport", "cremation": "cap_cremation", "urn": "cap_urn", "ash_storage": "cap_ash_storage"}


def service_waiver(kind: str, fee: Decimal, days: int, params: dict) -> tuple[Decimal, str, str]:
    """One kind of service (fees of the same kind added up): the waived amount and how, in Chinese and English."""
    if kind == "cold_storage":
        per_day = fee / days
        waived_days = min(days, params["cold_storage_days"])
        day_cap = params["cap_cold_storage_day"]
        waived = cents(waived_days * min(per_day, day_cap))
        return (
            waived,
            f"收费 {fmt(fee)} 元共 {days} 天（每天 {fmt(per_day)} 元），减免 {waived_days} 天 × "
            f"（{fmt(per_day)} 与 {fmt(day_cap)} 中较小者）= {fmt(waived)} 元",
            f"fee {fmt(fee)} for {days} days ({fmt(per_day)} a day); {waived_days} days × "
            f"min({fmt(per_day)}, {fmt(day_cap)}) = {fmt(waived)} yuan",
        )
    if kind in CAPS:
        cap = params[CAPS[kind]]
        waived = min(fee, cap)
        return (
            waived,
            f"收费 {fmt(fee)} 元，上限 {fmt(cap)} 元，减免 {fmt(waived)} 元",
            f"fee {fmt(fee)}, cap {fmt(cap)}, waived {fmt(waived)}",
        )
    return ZERO, f"收费 {fmt(fee)} 元，不属于基本殡葬服务，不减免", f"fee {fmt(fee)}, not a basic service: not waived"


def by_kind(services: tuple[FuneralService, ...]) -> dict[str, tuple[Decimal, int]]:
    out: dict[str, tuple[Decimal, int]] = {}
    for s in services:
        fee, days = out.get(s.kind, (ZERO, 0))
        out[s.kind] = (fee + s.fee, days + s.days)
    return out


def evaluate_funeral(
    household: HouseholdInput, params: dict, on: dt.date, *, reads: dict | None = None, in_county: bool = True
) -> Decision:
    funeral = event_required(household, "funeral", "殡葬减免须填写逝者和服务项目", "is required for the funeral waiver")
    d = Decision("funeral", parameters=params, once=True, result={"payee": "funeral_home"})
    person = household.members[funeral.member]
    d.members = [
        MemberLine(m.name, m.index, m is person, None if m is person else "not_deceased", amount=ZERO)
        for m in household.members
    ]
    died = person.died_on is not None or "deceased" in person.status
    d.step(
        "deceased",
        f"逝者：{person.name}" + (f"，{person.died_on:%Y-%m-%d} 死亡" if person.died_on else ""),
        f"Deceased: {person.name}" + (f", died {person.died_on:%Y-%m-%d}" if person.died_on else ""),
        died,
    )
    if not died:
        d.refuse(
            "not_deceased",
            f"{person.name}未登记死亡（died_on）",
            f"{person.name} is not recorded as deceased (died_on)",
        )
    if not in_county:
        d.refuse("hukou_outside_county", "户籍不在本县", "Hukou is not in this county")
    total, lines = ZERO, []
    for kind, (fee, days) in by_kind(funeral.services).items():
        waived, zh, en = service_waiver(kind, fee, days, params)
        d.step(
            f"service_{kind}", f"{SERVICE_TEXT[kind][0]}：{zh}", f"{SERVICE_TEXT[kind][1].capitalize()}: {en}", waived
        )
        lines.append({"kind": kind, "fee": fmt(fee), "waived": fmt(waived)})
        total += waived
    d.eligible = died and in_county and total > 0
    if died and in_county and total <= 0:
        d.refuse("amount_zero", "没有可减免的基本殡葬服务费用", "No basic funeral service fee to waive")
    d.amount = total if d.eligible else ZERO
    d.members[person.index].amount = d.amount
    d.result = {"payee": "funeral_home", "services": lines}
    d.step(
        "amount",
        f"减免合计 {fmt(d.amount)} 元，直接拨付殡仪馆" if d.eligible else "不予减免",
        f"Waived in all {fmt(d.amount)} yuan, paid to the funeral home" if d.eligible else "Nothing waived",
        d.amount,
    )
    return d
