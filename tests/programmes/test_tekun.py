"""Extreme poverty support: each criterion, each care level, the floor, scattered and centralised."""

import datetime as dt

import pytest

from doudi.programmes.pack import DIBAO_COMMON

from .conftest import household, person

OLD = person("老人", "1945-01-01", "head")


def tekun(decide, member=OLD, on=dt.date(2015, 6, 1), **extra):
    return decide(household(member, **extra), programme="tekun", on=on)


@pytest.mark.parametrize(
    "member, met",
    [
        (person("老", "1950-01-01"), True),  # 65
        (person("童", "2000-01-01"), True),  # 15
        (person("壮", "1975-01-01"), False),  # 40
        (person("智", "1975-01-01", disability={"kind": "intellectual", "grade": 3}), True),
        (person("精", "1975-01-01", disability={"kind": "mental", "grade": 1}), True),
        (person("肢", "1975-01-01", disability={"kind": "physical", "grade": 2}), True),
        (person("肢", "1975-01-01", disability={"kind": "physical", "grade": 3}), False),
        (person("视", "1975-01-01", disability={"kind": "visual", "grade": 1}), True),
        (person("视", "1975-01-01", disability={"kind": "visual", "grade": 2}), False),
    ],
)
def test_criterion_no_labour_capacity(decide, member, met):
    d = tekun(decide, member)
    assert d["eligible"] is met
    assert next(s for s in d["explanation"] if s["rule"] == "labour_capacity")["value"] is met


@pytest.mark.parametrize(
    "incomes, met",
    [
        ([], True),
        ([{"kind": "pension", "monthly": "189.99"}], True),
        ([{"kind": "pension", "monthly": "190.00"}], False),
        ([{"kind": "residents_basic_pension", "monthly": "500"}], True),
        ([{"kind": "preferential_payment", "monthly": "500"}], True),
        ([{"kind": "social_assistance", "monthly": "500"}], True),
        ([{"kind": "compensation", "monthly": "500"}], True),  # insurance payouts not counted
    ],
)
def test_criterion_no_income_source(decide, incomes, met):
    d = tekun(decide, dict(OLD, incomes=incomes))
    assert d["eligible"] is met


def test_criterion_assets_follow_dibao_rules(decide):
    assert not tekun(decide, assets={"financial": "5000"})["eligible"]  # > 24 × 190
    assert tekun(decide, assets={"financial": "4000"})["eligible"]


@pytest.mark.parametrize(
    "supporters, met",
    [
        ([], True),
        ([{"able": False, "reason": "服刑"}], True),
        ([{"able": False, "reason": "低保且60岁以上"}, {"able": True}], False),
        ([{"able": True}], False),
    ],
)
def test_criterion_no_able_supporter(decide, supporters, met):
    assert tekun(decide, supporters=supporters)["eligible"] is met


def test_orphan_with_allowance_is_not_tekun(decide):
    d = tekun(decide, person("孤", "2010-01-01", orphan_allowance=True))
    assert not d["eligible"] and d["reasons_ineligible"][0]["code"] == "orphan_allowance"


@pytest.mark.parametrize(
    "adl, level, amount_2015, amount_2016",
    [
        (0, "self", "340.00", "400.00"),
        (1, "partial", "450.00", "510.00"),
        (3, "partial", "450.00", "510.00"),
        (4, "full", "700.00", "760.00"),
        (6, "full", "700.00", "760.00"),
    ],
)
def test_care_levels_and_amounts(decide, adl, level, amount_2015, amount_2016):
    member = dict(OLD, adl_unable=adl)
    d = tekun(decide, member)
    assert d["extra"]["self_care_level"] == level and d["monthly_amount"] == amount_2015
    assert tekun(decide, member, on=dt.date(2016, 2, 1))["monthly_amount"] == amount_2016


def test_centralised_support_from_2016(decide):
    d = tekun(decide, dict(OLD, support_mode="centralised"), on=dt.date(2016, 2, 1))
    assert d["monthly_amount"] == "500.00"  # 460 + 40


def test_basic_standard_never_below_1_3_times_rural_dibao(decide, staff, pack, county_reviewer):
    from doudi.programmes.actions import parameter_version_approve, parameter_version_create

    v = parameter_version_create(
        actor=county_reviewer,
        programme="dibao",
        area_code="511425000000",
        effective_from=dt.date(2017, 1, 1),
        values={"standard_urban": "500.00", "standard_rural": "300.00", **DIBAO_COMMON},
    )
    parameter_version_approve(actor=staff["approver"], version=v)
    d = tekun(decide, on=dt.date(2017, 2, 1))
    # basic 360 < 1.3 × 300 = 390 → 390 + 40
    assert d["monthly_amount"] == "430.00"
    assert "390.00" in next(s for s in d["explanation"] if s["rule"] == "basic_standard")["zh"]


def test_applicant_is_the_marked_member(decide):
    d = decide(
        household(person("青", "1980-01-01", "head"), person("老", "1940-01-01", "parent", applicant=True)),
        programme="tekun",
    )
    assert d["eligible"] and d["explanation"][0]["value"] == "老"
