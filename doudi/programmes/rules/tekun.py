"""Extreme poverty support (特困人员供养) for one person [T21 §4–8, §21–23]."""

from __future__ import annotations

import datetime as dt

from doudi.core.money import ZERO, cents, fmt

from . import operators as op
from .decision import Decision, MemberLine
from .inputs import HouseholdInput, Member

# Besides dibao's exclusions, these do not count as an income source for tekun [T21 §6]: the basic
# residents' pension, insurance payouts (compensation), preferential payments and the old-age allowance
# (social assistance).
TEKUN_NOT_COUNTED = op.EXCLUDED_KINDS | {"compensation"}


def applicant_of(household: HouseholdInput) -> Member:
    """For a person programme, the member marked applicant, else the head, else the first member."""
    return next((m for m in household.members if m.applicant), None) or next(
        (m for m in household.members if m.relation == "head"), household.members[0]
    )


def evaluate_tekun(
    household: HouseholdInput, params: dict, on: dt.date, *, reads: dict, in_county: bool = True
) -> Decision:
    dibao_params = reads["dibao"]
    d = Decision("tekun", parameters=params)
    person = applicant_of(household)
    d.members = [
        MemberLine(m.name, m.index, m is person, None if m is person else "not_applicant") for m in household.members
    ]
    d.counted_members = 1
    d.step("applicant", f"申请人：{person.name}", f"Applicant: {person.name}", person.name)
    if not in_county:
        d.refuse("hukou_outside_county", "户籍不在本县", "Hukou is not in this county")
    blocking = [s for s in person.status if s in op.STATUS_TEXT]
    if blocking:
        zh, en = op.STATUS_TEXT[blocking[0]]
        d.refuse("status", f"申请人为{zh}", f"The applicant is {en}")

    # Criterion 1: no labour capacity.
    no_capacity, zh, en = op.labour_capacity_none(person, on)
    d.step(
        "labour_capacity",
        f"条件一 无劳动能力：{zh}，{'符合' if no_capacity else '不符合'}",
        f"Criterion 1, no labour capacity: {en}, {'met' if no_capacity else 'not met'}",
        no_capacity,
    )
    if not no_capacity:
        d.refuse(
            "labour_capacity",
            "不属于无劳动能力（60周岁以上、未满18周岁或规定等级的残疾）",
            "Not without labour capacity (60+, under 18, or a qualifying disability grade)",
        )

    # Criterion 2: no income source — own income below the local minimum living standard, assets within dibao rules.
    dibao_standard = dibao_params["standard_urban" if household.hukou_type == "urban" else "standard_rural"]
    income = ZERO
    parts = []
    for inc in person.incomes:
        if inc.kind in TEKUN_NOT_COUNTED:
            continue
        sign = -1 if inc.kind in op.SUBTRACTED_KINDS else 1
        income += sign * inc.monthly
        parts.append(f"{op.KIND_ZH[inc.kind]} {'−' if sign < 0 else ''}{fmt(inc.monthly)}")
    income = cents(max(income, ZERO))
    d.per_capita_income = income
    income_ok = income < dibao_standard
    d.step(
        "income_source",
        f"条件二 本人月收入 {fmt(income)} 元（{'，'.join(parts) or '无计入收入'}），低保标准 "
        f"{fmt(dibao_standard)} 元，{'符合' if income_ok else '不符合'}",
        f"Criterion 2: own income {fmt(income)} vs minimum living standard {fmt(dibao_standard)}: "
        f"{'met' if income_ok else 'not met'}",
        income_ok,
    )
    if not income_ok:
        d.refuse(
            "income_source",
            f"本人收入 {fmt(income)} 元不低于当地低保标准 {fmt(dibao_standard)} 元",
            f"Own income {fmt(income)} is not below the minimum living standard {fmt(dibao_standard)}",
        )
    assets_ok = op.asset_tests(d, household.assets, len(household.members), dibao_standard, dibao_params)

    # Criterion 3: no legal supporter able to support.
    able = [s for s in household.supporters if s.able]
    supporter_ok = not able
    d.step(
        "supporters",
        f"条件三 法定赡养/抚养/扶养人 {len(household.supporters)} 人，有能力者 {len(able)} 人，"
        f"{'符合' if supporter_ok else '不符合'}",
        f"Criterion 3: {len(household.supporters)} supporter(s), "
        f"{len(able)} able: {'met' if supporter_ok else 'not met'}",
        supporter_ok,
    )
    if not supporter_ok:
        d.refuse("supporters", "有具备赡养、抚养或扶养能力的法定义务人", "A legal supporter is able to support")
    if person.orphan_allowance:
        d.refuse(
            "orphan_allowance",
            "领取孤儿基本生活费的孤儿不认定为特困人员",
            "Orphans receiving the orphan allowance are not extreme-poverty persons",
        )

    d.eligible = (
        no_capacity
        and income_ok
        and assets_ok
        and supporter_ok
        and not person.orphan_allowance
        and not blocking
        and in_county
    )
    d.step(
        "eligible",
        "符合特困人员认定条件" if d.eligible else "不符合特困人员认定条件",
        "Eligible" if d.eligible else "Not eligible",
        d.eligible,
    )
    if not d.eligible:
        return d

    level, zh, en = op.self_care_level(person)
    d.step(
        "self_care",
        f"六项日常生活活动中 {person.adl_unable} 项不能自理：{zh}",
        f"{person.adl_unable} of six daily activities impossible: {en}",
        level,
    )
    basic = basic_standard(d, person, params, dibao_params)
    care = params[f"care_{level}"]
    d.step("care_standard", f"照料护理标准（{zh}）{fmt(care)} 元", f"Care standard ({en}) {fmt(care)} yuan", care)
    total = basic + care
    d.step(
        "total_before_rounding",
        f"合计 = {fmt(basic)} + {fmt(care)} = {fmt(total)} 元",
        f"Total = {fmt(basic)} + {fmt(care)} = {fmt(total)} yuan",
        total,
    )
    d.monthly_amount = op.rounding(d, total, params)
    d.extra = {"self_care_level": level, "support_mode": person.support_mode}
    d.step(
        "monthly_amount",
        f"每月供养 {fmt(d.monthly_amount)} 元",
        f"Monthly support {fmt(d.monthly_amount)} yuan",
        d.monthly_amount,
    )
    return d


def basic_standard(d: Decision, person: Member, params: dict, dibao_params: dict):
    """Basic living standard by support mode (params basic_scattered, basic_centralised), never below param
    floor_dibao_ratio × the local rural minimum living standard [T21 §19, OP20]."""
    mode = person.support_mode
    basic = params["basic_centralised" if mode == "centralised" else "basic_scattered"]
    floor = cents(params["floor_dibao_ratio"] * dibao_params["standard_rural"])
    value = max(basic, floor)
    d.step(
        "basic_standard",
        f"基本生活标准（{'集中' if mode == 'centralised' else '分散'}供养）{fmt(basic)} 元，"
        f"不低于 {params['floor_dibao_ratio']} × 农村低保标准 {fmt(dibao_params['standard_rural'])} = {fmt(floor)} 元 "
        f"→ {fmt(value)} 元",
        f"Basic standard ({mode}) {fmt(basic)}, floor {fmt(floor)} → {fmt(value)}",
        value,
    )
    return value
