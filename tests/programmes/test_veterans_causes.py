"""Disabled servicemen paid by the cause of the disability and the grade (因战、因公、因病, the national table
《伤残抚恤金标准》; the demo pack's illustrative columns in doudi/programmes/shapes/veterans.py): every cause and grade
on both sides of the 1 August change, a disability from illness of grade 7–10 refused naming the field, the
explanation naming the cause, and the pack's columns in the order the national table has them."""

import datetime as dt
from decimal import Decimal

import pytest

from doudi.core.errors import ApplicationError
from doudi.programmes.rules.inputs import HouseholdInput, Member, Veteran, household_from_json
from doudi.programmes.rules.veterans import evaluate_veterans
from doudi.programmes.shapes.veterans import CAUSES, DISABLED_PARAMS, GRADES, SHAPE, SPECS

from .conftest import household, person

JULY, AUGUST = dt.date(2026, 7, 31), dt.date(2026, 8, 1)  # the 2025 table, then the 2026 one

# (grade, July 2026 = the 2025 table, August 2026 = the 2026 table) by cause, written out by hand
WAR = [
    (1, "8790.00", "9140.00"),
    (2, "7930.00", "8230.00"),
    (3, "7070.00", "7350.00"),
    (4, "5650.00", "5880.00"),
    (5, "4520.00", "4690.00"),
    (6, "3610.00", "3760.00"),
    (7, "2820.00", "2940.00"),
    (8, "1720.00", "1790.00"),
    (9, "1330.00", "1390.00"),
    (10, "890.00", "930.00"),
]
DUTY = [
    (1, "8370.00", "8700.00"),
    (2, "7550.00", "7840.00"),
    (3, "6730.00", "7000.00"),
    (4, "5380.00", "5600.00"),
    (5, "4300.00", "4470.00"),
    (6, "3440.00", "3580.00"),
    (7, "2690.00", "2800.00"),
    (8, "1640.00", "1700.00"),
    (9, "1270.00", "1320.00"),
    (10, "850.00", "890.00"),
]
ILLNESS = [
    (1, "7700.00", "8000.00"),
    (2, "6950.00", "7210.00"),
    (3, "6190.00", "6440.00"),
    (4, "4950.00", "5150.00"),
    (5, "3960.00", "4110.00"),
    (6, "3160.00", "3290.00"),
]
TABLE = [
    *[("war", *row) for row in WAR],
    *[("duty", *row) for row in DUTY],
    *[("illness", *row) for row in ILLNESS],
]
ZH = {"war": "因战", "duty": "因公", "illness": "因病"}
ZH_GRADE = "一二三四五六七八九十"


def disabled(grade, cause, **extra):
    return person(birth="1950-04-01", veteran={"category": "disabled", "grade": grade, "cause": cause}, **extra)


@pytest.mark.parametrize("cause,grade,july,august", TABLE)
def test_every_cause_and_grade_before_and_after_1_august(decide, cause, grade, july, august):
    before = decide(household(disabled(grade, cause)), "veterans", JULY)
    after = decide(household(disabled(grade, cause)), "veterans", AUGUST)
    assert (before["monthly_amount"], after["monthly_amount"]) == (july, august)
    member = after["members"][0]
    assert (member["amount"], member["category"], member["grade"], member["cause"]) == (
        august,
        "disabled",
        grade,
        cause,
    )
    label = f"{ZH[cause]}{ZH_GRADE[grade - 1]}级残疾军人"  # "因公三级残疾军人"
    step = next(s for s in after["explanation"] if s["rule"] == "category")
    assert label in step["zh"] and august in step["zh"]
    assert f"grade {grade} ({cause})" in step["en"]


def test_the_table_is_the_whole_pack():
    """Every parameter of the disabled servicemen in the pack is a row above, and nothing else."""
    assert {(c, g) for c, g, _p in DISABLED_PARAMS} == {(c, g) for c, g, _j, _a in TABLE}
    assert len(DISABLED_PARAMS) == 26


@pytest.mark.parametrize("grade", [7, 8, 9, 10])
def test_illness_grades_7_to_10_are_refused_naming_the_field(grade):
    with pytest.raises(ApplicationError) as e:
        household_from_json(household(disabled(grade, "illness")))
    assert e.value.field == "members[0].veteran.cause"
    assert "不享受伤残抚恤金" in e.value.zh


@pytest.mark.parametrize(
    "veteran_json,field",
    [
        ({"category": "disabled", "grade": 3}, "members[0].veteran.cause"),  # required
        ({"category": "disabled", "grade": 3, "cause": "accident"}, "members[0].veteran.cause"),
        ({"category": "martyr_family", "cause": "war"}, "members[0].veteran.cause"),  # others have none
    ],
)
def test_cause_input_errors_name_the_field(veteran_json, field):
    with pytest.raises(ApplicationError) as e:
        household_from_json(household(person(veteran=veteran_json)))
    assert e.value.field == field


@pytest.mark.parametrize("grade", [7, 10])
def test_the_rule_pays_no_pension_for_illness_7_to_10_if_given_one(grade):
    """Input built in code (not through the JSON, which refuses it): nothing paid, the reason named."""
    params = {k: Decimal(v) for k, v in SHAPE.pack[-1]["values"].items()}
    member = Member(name="甲", birth_date=dt.date(1950, 4, 1), veteran=Veteran("disabled", grade, (), "illness"))
    d = evaluate_veterans(HouseholdInput(hukou_type="rural", members=[member]), params, AUGUST)
    assert d.monthly_amount == 0 and [r["code"] for r in d.reasons_ineligible] == ["no_pension"]


def test_one_grade_paid_by_cause_in_one_household(decide):
    """A county with disabled servicemen of different causes at one grade pays each his own column."""
    raw = household(disabled(6, "war"), disabled(6, "duty", name="乙", relation="sibling"))
    d = decide(raw, "veterans", AUGUST)
    assert [m["amount"] for m in d["members"]] == ["3760.00", "3580.00"]
    assert d["monthly_amount"] == "7340.00"


@pytest.mark.parametrize("version", SHAPE.pack, ids=lambda v: v["effective_from"])
def test_pack_columns_war_above_duty_above_illness_falling_with_the_grade(version):
    values = {k: Decimal(v) for k, v in version["values"].items()}
    for g in GRADES:
        war, duty = values[f"disabled_war_{g}"], values[f"disabled_duty_{g}"]
        assert war > duty, g
        if g <= 6:
            assert duty > values[f"disabled_illness_{g}"], g
        else:
            assert f"disabled_illness_{g}" not in values
    for cause, _zh, _en, grades in CAUSES:
        column = [values[f"disabled_{cause}_{g}"] for g in grades]
        assert column == sorted(column, reverse=True) and len(set(column)) == len(column), cause
    assert all(v == v.quantize(Decimal("0.01")) for v in values.values())  # money: two decimals


def test_parameter_labels_are_chinese_with_english_on_request():
    spec = next(s for s in SPECS if s.name == "disabled_duty_3")
    assert (spec.zh, spec.en) == ("因公三级残疾军人", "Disabled serviceman, grade 3 (duty)")
