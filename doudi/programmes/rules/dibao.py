"""Minimum living allowance (最低生活保障) for a household, or one member enrolled alone [D21 §6–8, §13–14]."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from doudi.core.money import ZERO, fmt

from . import operators as op
from .decision import Decision
from .inputs import HouseholdInput


def standard_for(d: Decision, household: HouseholdInput, params: dict):
    """Monthly standard by hukou type: param standard_urban or standard_rural."""
    standard = params["standard_urban" if household.hukou_type == "urban" else "standard_rural"]
    d.step(
        "standard",
        f"{'城市' if household.hukou_type == 'urban' else '农村'}低保标准 {fmt(standard)} 元/人·月",
        f"{household.hukou_type.capitalize()} standard {fmt(standard)} yuan per person per month",
        standard,
    )
    return standard


def _means(d: Decision, members, params, standard):
    income = op.counted_income(d, members, params)
    deductions = op.job_cost_deduction(d, members, params) + op.rigid_expenditure_deduction(d, members, params)
    return op.per_capita_income(d, income, deductions, len(members))


def evaluate_dibao(
    household: HouseholdInput, params: dict, on: dt.date, *, reads: dict | None = None, in_county: bool = True
) -> Decision:
    d = Decision("dibao", parameters=params)
    standard = standard_for(d, household, params)
    if not in_county:
        d.refuse("hukou_outside_county", "户籍不在本县", "Hukou is not in this county")
    alone = next((m for m in household.members if m.applies_alone), None)
    if alone is not None:
        return _single_person(d, household, alone, params, standard, on, in_county)
    counted = op.household_composition(d, household)
    pc = _means(d, counted, params, standard)
    assets_ok = op.asset_tests(d, household.assets, len(counted), standard, params)
    if not counted:
        d.refuse("no_members", "没有可计入的家庭成员", "No counted members")
    if pc >= standard:
        d.refuse(
            "income_above_standard",
            f"人均收入 {fmt(pc)} 元不低于低保标准 {fmt(standard)} 元",
            f"Per-capita income {fmt(pc)} is not below the standard {fmt(standard)}",
        )
    return _amount(d, counted, pc, standard, on, params, assets_ok and in_county and bool(counted))


def _amount(d: Decision, counted, pc, standard, on, params, tests_pass: bool) -> Decision:
    d.eligible = tests_pass and pc < standard
    d.step(
        "eligible",
        "符合低保条件" if d.eligible else "不符合低保条件",
        "Eligible" if d.eligible else "Not eligible",
        d.eligible,
    )
    if not d.eligible:
        d.monthly_amount = ZERO
        return d
    base = op.base_amount(d, standard, pc, len(counted))
    amount = op.floor_amount(d, base, standard, len(counted), params)
    addons = op.classified_addons(d, counted, standard, on, params)
    total = amount + addons
    if addons:
        d.step(
            "total_before_rounding",
            f"合计 = {fmt(amount)} + {fmt(addons)} = {fmt(total)} 元",
            f"Total = {fmt(amount)} + {fmt(addons)} = {fmt(total)} yuan",
            total,
        )
    d.monthly_amount = op.rounding(d, total, params)
    d.step(
        "monthly_amount",
        f"每月发放 {fmt(d.monthly_amount)} 元",
        f"Monthly payment {fmt(d.monthly_amount)} yuan",
        d.monthly_amount,
    )
    return d


def _single_person(d: Decision, household: HouseholdInput, person, params, standard, on, in_county) -> Decision:
    """Single-person enrolment (单人户) [D21 §8]: in an edge family (per-capita income below param
    single_person_edge_ratio × standard, asset rules pass) a member with disability grade 1–2, grade 3
    intellectual or mental disability, or a recognised serious illness is evaluated as a one-member household
    with only their own income and expenses."""
    qualifies = (
        person.disability_grade in (1, 2)
        or person.serious_illness
        or (person.disability_grade == 3 and person.disability_kind in ("intellectual", "mental"))
    )
    d.step(
        "single_person",
        f"{person.name}申请单人户：" + ("属于重残或重病" if qualifies else "不属于重残或重病"),
        f"{person.name} applies alone: " + ("qualifies" if qualifies else "does not qualify"),
        qualifies,
    )
    family = Decision("dibao")
    counted = op.household_composition(family, household)
    family_pc = _means(family, counted, params, standard)
    edge = params["single_person_edge_ratio"] * standard
    assets_ok = op.asset_tests(family, household.assets, len(counted), standard, params)
    d.step(
        "edge_family",
        f"全家人均收入 {fmt(family_pc)} 元，边缘家庭线 = {params['single_person_edge_ratio']} × "
        f"{fmt(standard)} = {fmt(edge)} 元",
        f"Family per-capita income {fmt(family_pc)}, edge line {fmt(edge)}",
        family_pc < edge,
    )
    d.reasons_ineligible.extend(family.reasons_ineligible)
    if not qualifies:
        d.refuse(
            "single_person_not_qualified",
            "单人户须为一二级残疾、三级智力或精神残疾或重病患者",
            "Enrolling alone needs disability grade 1–2, grade 3 intellectual/mental, or a serious illness",
        )
    if family_pc >= edge:
        d.refuse(
            "not_edge_family",
            f"全家人均收入 {fmt(family_pc)} 元不低于 {fmt(edge)} 元",
            f"Family per-capita income {fmt(family_pc)} is not below {fmt(edge)}",
        )
    alone = replace(household, members=[person])
    members = op.household_composition(d, alone)
    pc = _means(d, members, params, standard)
    if pc >= standard:
        d.refuse(
            "income_above_standard",
            f"本人收入 {fmt(pc)} 元不低于低保标准 {fmt(standard)} 元",
            f"Own income {fmt(pc)} is not below the standard {fmt(standard)}",
        )
    ok = qualifies and family_pc < edge and assets_ok and in_county and bool(members)
    return _amount(d, members, pc, standard, on, params, ok)
