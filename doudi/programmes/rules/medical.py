"""Medical assistance (医疗救助) on one settlement of one member [IM §28–31; MA21], demo pack domain.md §4:
``assist = min(annual cap − assisted this year, max(0, in-scope out-of-pocket − deductible left) × ratio)``,
half up to the fen; ratio, deductible and caps by group (tekun, dibao, edge family: params ratio_<group>,
deductible_<group>, cap_general_<group>, cap_serious_<group>). The deductible is per person per calendar year:
the part used by earlier claims is not deducted again."""

from __future__ import annotations

import datetime as dt

from doudi.core.money import ZERO, cents, fmt

from .decision import Decision, MemberLine
from .inputs import HouseholdInput, Member
from .temporary import event_required

GROUP_TEXT = {
    "tekun": ("特困人员", "extreme poverty person"),
    "dibao": ("低保对象", "minimum living allowance member"),
    "edge": ("低保边缘家庭成员", "edge family member"),
}


def group_of(person: Member, enrolled: tuple[str, ...]) -> str | None:
    """Who is covered, most favourable group first: a member receiving tekun, a member of a dibao household,
    a member of an edge family (低保边缘家庭)."""
    if person.receives_tekun:
        return "tekun"
    for group in ("dibao", "edge"):
        if group in enrolled:
            return group
    return None


def evaluate_medical(
    household: HouseholdInput, params: dict, on: dt.date, *, reads: dict, in_county: bool = True
) -> Decision:
    claim = event_required(household, "claim", "医疗救助须填写结算信息", "is required for medical assistance")
    d = Decision("medical", parameters=params, once=True, result={})
    person = household.members[claim.member]
    d.members = [
        MemberLine(m.name, m.index, m is person, None if m is person else "not_claimant", amount=ZERO)
        for m in household.members
    ]
    group = group_of(person, household.enrolled)
    if group is None:
        d.step("group", f"{person.name}不属于医疗救助对象", f"{person.name} is not covered", None)
        d.refuse(
            "not_covered",
            "不是特困人员、低保对象或低保边缘家庭成员",
            "Not an extreme poverty person, a minimum living allowance member or an edge family member",
        )
        d.result = {"group": None, "deductible_applied": ZERO, "cap_left": ZERO}
        return d
    zh, en = GROUP_TEXT[group]
    ratio, deductible = params[f"ratio_{group}"], params[f"deductible_{group}"]
    cap = params[f"cap_serious_{group}" if claim.serious_disease else f"cap_general_{group}"]
    d.step("group", f"{person.name}：{zh}，救助比例 {ratio:%}", f"{person.name}: {en}, ratio {ratio:%}", group)
    oop = claim.in_scope_out_of_pocket
    left = max(deductible - claim.deductible_used_this_year, ZERO)
    applied = min(left, oop)
    d.step(
        "deductible",
        f"年度起付线 {fmt(deductible)} 元，本年已用 {fmt(claim.deductible_used_this_year)} 元，本次扣除 {fmt(applied)} 元",
        f"Deductible {fmt(deductible)} a year, {fmt(claim.deductible_used_this_year)} used, {fmt(applied)} this claim",
        applied,
    )
    base = cents((oop - applied) * ratio)
    d.step(
        "assistance",
        f"({fmt(oop)} − {fmt(applied)}) × {ratio:%} = {fmt(base)} 元",
        f"({fmt(oop)} − {fmt(applied)}) × {ratio:%} = {fmt(base)} yuan",
        base,
    )
    cap_left = max(cap - claim.assisted_this_year, ZERO)
    kind_zh, kind_en = ("重特大疾病", "listed serious disease") if claim.serious_disease else ("一般", "general")
    d.step(
        "annual_cap",
        f"{kind_zh}年度限额 {fmt(cap)} 元，本年已救助 {fmt(claim.assisted_this_year)} 元，剩余 {fmt(cap_left)} 元",
        f"Annual cap ({kind_en}) {fmt(cap)}, assisted {fmt(claim.assisted_this_year)}, left {fmt(cap_left)}",
        cap_left,
    )
    amount = min(base, cap_left)
    if amount <= 0:
        d.refuse(
            "amount_zero",
            "救助金额为 0（未超过起付线或年度限额已用完）",
            "The amount is 0 (within the deductible, or the annual cap is used up)",
        )
    d.eligible = amount > 0
    d.amount = amount if d.eligible else ZERO
    d.step(
        "amount",
        f"本次医疗救助 {fmt(d.amount)} 元" if d.eligible else "本次不予救助",
        f"Assistance for this claim {fmt(d.amount)} yuan" if d.eligible else "Nothing for this claim",
        d.amount,
    )
    d.members[person.index].amount = d.amount
    d.result = {"group": group, "deductible_applied": applied, "cap_left": cap_left - d.amount}
    return d
