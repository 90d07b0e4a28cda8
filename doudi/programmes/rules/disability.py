"""The disability two subsidies (残疾人两项补贴, 国发〔2015〕52号), demo pack domain.md §5c: the living subsidy
(param living_subsidy) for each disabled member, any grade, of a dibao household; the care subsidy (params
care_grade_1, care_grade_2) for each member with a grade 1–2 disability, whatever the income. A tekun recipient
gets neither (the tekun care standard covers it); paid up to the month of death; hukou in the province (here:
the county's parameters apply)."""

from __future__ import annotations

import datetime as dt

from doudi.core.money import ZERO, fmt

from .decision import Decision, MemberLine
from .inputs import HouseholdInput


def evaluate_disability(
    household: HouseholdInput, params: dict, on: dt.date, *, reads: dict | None = None, in_county: bool = True
) -> Decision:
    d = Decision("disability", parameters=params, result={})
    month = on.replace(day=1)
    dibao = "dibao" in household.enrolled
    d.step(
        "dibao_household",
        "本户为低保家庭" if dibao else "本户不是低保家庭，不发生活补贴",
        "Receives the minimum living allowance" if dibao else "Not on the minimum living allowance: no living subsidy",
        dibao,
    )
    if not in_county:
        d.refuse("hukou_outside_county", "户籍不在本县", "Hukou is not in this county")
    total = ZERO
    for m in household.members:
        line = MemberLine(m.name, m.index, False, amount=ZERO, detail={"living_subsidy": ZERO, "care_subsidy": ZERO})
        d.members.append(line)
        if m.disability_grade is None:
            line.excluded_reason = "no_disability"
            continue
        if m.died_before(month):
            line.excluded_reason = "deceased"
            d.step("death", f"{m.name}已死亡，停发", f"{m.name} has died: not paid", None)
            continue
        if m.receives_tekun:
            line.excluded_reason = "receives_tekun"
            d.step(
                "tekun",
                f"{m.name}为特困人员，两项补贴由特困照料护理标准涵盖",
                f"{m.name} receives extreme poverty support, whose care standard covers both subsidies",
                None,
            )
            continue
        if not in_county:
            line.excluded_reason = "hukou_outside_county"
            continue
        living = params["living_subsidy"] if dibao else ZERO
        care = params[f"care_grade_{m.disability_grade}"] if m.disability_grade in (1, 2) else ZERO
        line.detail = {"grade": m.disability_grade, "living_subsidy": living, "care_subsidy": care}
        line.amount = living + care
        line.counted = line.amount > 0
        d.step(
            "subsidies",
            f"{m.name}残疾{m.disability_grade}级：生活补贴 {fmt(living)} 元"
            f"{'' if dibao else '（非低保家庭）'}，护理补贴 {fmt(care)} 元"
            f"{'' if m.disability_grade in (1, 2) else '（三四级不发）'}，合计 {fmt(line.amount)} 元",
            f"{m.name}, disability grade {m.disability_grade}: living subsidy {fmt(living)}, care subsidy "
            f"{fmt(care)}, total {fmt(line.amount)} yuan",
            line.amount,
        )
        total += line.amount
    d.monthly_amount = total
    d.counted_members = sum(1 for line in d.members if line.counted)
    d.eligible = total > 0
    if not d.eligible:
        d.refuse(
            "no_subsidy",
            "没有可享受两项补贴的成员（低保家庭的残疾人，或一二级残疾人）",
            "No member qualifies (a disabled member of a household on the minimum living allowance, or a grade 1–2 disability)",
        )
    d.step("monthly_amount", f"本户每月两项补贴合计 {fmt(total)} 元", f"Household total {fmt(total)} a month", total)
    return d
