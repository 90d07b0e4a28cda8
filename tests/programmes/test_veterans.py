"""Veterans' periodic payments, table-driven (domain.md §5e; the demo pack's illustrative tables in
doudi/programmes/shapes/veterans.py): every category and grade on both sides of the 1 August change, prison
suspension months, the month of death, one-off-only categories, and the JSON's errors naming the field."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doudi.core.errors import ApplicationError
from doudi.programmes.rules.inputs import household_from_json
from doudi.programmes.rules.veterans import evaluate_veterans
from doudi.programmes.shapes.veterans import SHAPE

from .conftest import household, person

PACK = {v["effective_from"]: v["values"] for v in SHAPE.pack}
JULY, AUGUST = dt.date(2026, 7, 31), dt.date(2026, 8, 1)  # the day before and the day the 2026 table applies

# (category, grade, amount in July 2026 = 2025 table, amount in August 2026 = 2026 table), written out by hand;
# disabled servicemen on duty (因公): every cause is in test_veterans_causes.py
TABLE = [
    ("disabled", 1, "8370.00", "8700.00"),
    ("disabled", 2, "7550.00", "7840.00"),
    ("disabled", 3, "6730.00", "7000.00"),
    ("disabled", 4, "5380.00", "5600.00"),
    ("disabled", 5, "4300.00", "4470.00"),
    ("disabled", 6, "3440.00", "3580.00"),
    ("disabled", 7, "2690.00", "2800.00"),
    ("disabled", 8, "1640.00", "1700.00"),
    ("disabled", 9, "1270.00", "1320.00"),
    ("disabled", 10, "850.00", "890.00"),
    ("martyr_family", None, "2810.00", "2920.00"),
    ("duty_death_family", None, "2380.00", "2470.00"),
    ("illness_death_family", None, "2320.00", "2410.00"),
    ("demobilised", None, "1830.00", "1900.00"),
    ("ill_returned", None, "1200.00", "1250.00"),
    ("war_participant", None, "940.00", "980.00"),
    ("nuclear_participant", None, "940.00", "980.00"),
    ("kmt_veteran", None, "0.00", "0.00"),  # one-off grants only
]


def veteran(category, grade=None, cause="duty", **extra):
    """A member entitled in ``category`` (a disabled serviceman of ``grade``, on duty unless ``cause`` says)."""
    facts = {"category": category, **({"grade": grade, "cause": cause} if grade else {})}
    return person(birth="1950-04-01", veteran=facts, **extra)


@pytest.mark.parametrize("category,grade,july,august", TABLE)
def test_every_category_and_grade_before_and_after_1_august(decide, category, grade, july, august):
    before = decide(household(veteran(category, grade)), "veterans", JULY)
    after = decide(household(veteran(category, grade)), "veterans", AUGUST)
    assert (before["monthly_amount"], after["monthly_amount"]) == (july, august)
    assert before["members"][0]["amount"] == july and after["members"][0]["amount"] == august
    assert after["eligible"] is (august != "0.00")
    if august == "0.00":
        assert [r["code"] for r in after["reasons_ineligible"]] == ["grants_only"]
    else:
        assert any(august in step["zh"] for step in after["explanation"]), "the step names the amount"


@pytest.mark.parametrize(
    "on,amount",
    [
        ("2024-07-31", None),
        ("2024-08-01", "3300.00"),
        ("2025-07-01", "3300.00"),
        ("2025-08-01", "3440.00"),
        ("2026-07-15", "3440.00"),
        ("2026-08-31", "3580.00"),
    ],
)
def test_year_change_on_1_august(decide, on, amount):
    if amount is None:  # no table before the first one loaded: the engine says so, naming the programme
        with pytest.raises(ApplicationError):
            decide(household(veteran("disabled", 6)), "veterans", dt.date.fromisoformat(on))
        return
    assert decide(household(veteran("disabled", 6)), "veterans", dt.date.fromisoformat(on))["monthly_amount"] == amount


# (prison start, release, month evaluated, paid?)
PRISON = [
    ("2026-03-15", "2026-06-20", "2026-02-01", True),  # before the term
    ("2026-03-15", "2026-06-20", "2026-03-01", False),  # the month it began
    ("2026-03-15", "2026-06-20", "2026-05-01", False),  # inside
    ("2026-03-15", "2026-06-20", "2026-06-01", False),  # the month of release: still nothing
    ("2026-03-15", "2026-06-20", "2026-07-01", True),  # from the month after release
    ("2026-03-01", "2026-03-31", "2026-03-01", False),  # a term inside one month
    ("2026-03-01", "2026-03-31", "2026-04-01", True),
    ("2025-12-31", None, "2026-09-01", False),  # still inside
    ("2025-12-31", "2026-01-01", "2025-11-01", True),
    ("2025-12-31", "2026-01-01", "2026-02-01", True),
]


@pytest.mark.parametrize("start,release,on,paid", PRISON)
def test_prison_suspension_months(decide, start, release, on, paid):
    term = {"start": start, **({"release": release} if release else {})}
    raw = household(person(birth="1950-04-01", veteran={"category": "demobilised", "prison": [term]}))
    d = decide(raw, "veterans", dt.date.fromisoformat(on))
    assert (d["monthly_amount"] != "0.00") is paid
    if not paid:
        assert d["members"][0]["excluded_reason"] == "in_prison"
        assert [r["code"] for r in d["reasons_ineligible"]] == ["in_prison"]


@pytest.mark.parametrize(
    "died,on,amount",
    [
        ("2026-10-31", "2026-10-01", "1900.00"),  # paid in the month of death
        ("2026-10-01", "2026-10-31", "1900.00"),
        ("2026-10-31", "2026-11-01", "0.00"),  # nothing after
        ("2026-07-31", "2026-07-01", "1830.00"),  # the month's own table (July: 2025's)
    ],
)
def test_paid_to_the_month_of_death(decide, died, on, amount):
    d = decide(household(veteran("demobilised", died_on=died)), "veterans", dt.date.fromisoformat(on))
    assert d["monthly_amount"] == amount
    if amount == "0.00":
        assert d["members"][0]["excluded_reason"] == "deceased"


def test_household_total_and_members_without_entitlement(decide):
    raw = household(veteran("disabled", 1), veteran("martyr_family", relation="spouse"), person("丙", relation="child"))
    d = decide(raw, "veterans", AUGUST)
    assert d["monthly_amount"] == "11620.00"  # 8700 + 2920
    assert [m["amount"] for m in d["members"]] == ["8700.00", "2920.00", "0.00"]
    assert d["members"][2]["excluded_reason"] == "not_entitled"
    outside = decide({**raw, "area": "511402000000"}, "veterans", AUGUST)
    assert outside["eligible"] is False and "hukou_outside_county" in [r["code"] for r in outside["reasons_ineligible"]]


@pytest.mark.parametrize(
    "veteran_json,field",
    [
        ({"category": "hero"}, "members[0].veteran.category"),
        ({"category": "disabled"}, "members[0].veteran.grade"),
        ({"category": "disabled", "grade": 11}, "members[0].veteran.grade"),
        ({"category": "martyr_family", "grade": 2}, "members[0].veteran.grade"),
        ({"category": "demobilised", "prison": [{"start": "2026-13-01"}]}, "members[0].veteran.prison[0].start"),
        (
            {"category": "demobilised", "prison": [{"start": "2026-05-01", "release": "2026-04-01"}]},
            "members[0].veteran.prison[0].release",
        ),
        ("disabled", "members[0].veteran"),
    ],
)
def test_invalid_veteran_input_names_the_field(veteran_json, field):
    with pytest.raises(ApplicationError) as e:
        household_from_json(household(person(veteran=veteran_json)))
    assert e.value.field == field


@settings(max_examples=60, deadline=None)
@given(
    category=st.sampled_from([row[0] for row in TABLE]),
    grade=st.integers(1, 10),
    month=st.dates(dt.date(2024, 8, 1), dt.date(2027, 12, 31)),
    start=st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)),
    days=st.integers(0, 800),
)
def test_properties_never_negative_never_more_than_the_table_nothing_inside(category, grade, month, start, days):
    """Pure rule, parameters from the pack: never negative, never more than the category's table amount, and
    nothing in a month that a prison term touches."""
    version = max(k for k in PACK if dt.date.fromisoformat(k) <= month)
    params = {k: Decimal(v) for k, v in PACK[version].items()}
    raw = {"category": category, **({"grade": grade, "cause": "duty"} if category == "disabled" else {})}
    release = start + dt.timedelta(days=days)
    raw["prison"] = [{"start": start.isoformat(), "release": release.isoformat()}]
    d = evaluate_veterans(household_from_json(household(person(birth="1950-04-01", veteran=raw))), params, month)
    assert Decimal(0) <= d.monthly_amount <= max(params.values())
    inside = start.replace(day=1) <= month.replace(day=1) <= release.replace(day=1)
    if inside:
        assert d.monthly_amount == 0
