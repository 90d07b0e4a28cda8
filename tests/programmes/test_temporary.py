"""Temporary assistance, table-driven from domain.md §5 (demo pack): both kinds, the cap, the expenditure line,
rounding, approval level by amount (2 × S included), fast track for the emergency kind only, once a year."""

import datetime as dt

import pytest

from .conftest import household, person

ON = dt.date(2016, 6, 1)


def hardship(kind="emergency", date="2016-03-02", **extra):
    base = {"kind": kind, "cause": "火灾" if kind == "emergency" else "大病住院", "date": date, "reimbursed": "0"}
    base.update({"loss": "0"} if kind == "emergency" else {"rigid_expenses": "0"})
    return {**base, **extra}


# (hukou, hardship, amount, approval_level, fast_track); S = 230 rural, 400 urban from 2016; 190/370 in 2015
EMERGENCY = [
    ("rural", {"loss": "300.00"}, "300.00", "township", True),
    ("rural", {"loss": "460.00"}, "460.00", "township", True),  # 2 × S included
    ("rural", {"loss": "460.01"}, "460.01", "county", False),  # just above 2 × S
    ("rural", {"loss": "5000.00", "reimbursed": "1000.00"}, "2300.00", "county", False),  # 10 × S cap
    ("rural", {"loss": "2500.00", "reimbursed": "400.00"}, "2100.00", "county", False),
    ("urban", {"loss": "800.00"}, "800.00", "township", True),  # urban S 400: 2 × S = 800
    ("urban", {"loss": "9000.00"}, "4000.00", "county", False),
    ("rural", {"loss": "3000.00", "date": "2015-07-01"}, "1900.00", "county", False),  # S on the hardship's date: 190
    ("urban", {"loss": "740.00", "date": "2015-07-01"}, "740.00", "township", True),  # 2 × 370
]


@pytest.mark.parametrize("hukou,extra,amount,level,fast", EMERGENCY)
def test_emergency_kind(decide, hukou, extra, amount, level, fast):
    d = decide(household(person(), hukou=hukou, hardship=hardship(**extra)), "temporary", ON)
    assert d["eligible"] is True
    assert (d["amount"], d["approval_level"], d["fast_track"]) == (amount, level, fast)
    assert d.get("paperwork_working_days") == (5 if fast else None)


@pytest.mark.parametrize(
    "hukou,income,extra,eligible,amount,level",
    [
        # per-capita (wage − 10% job cost) ÷ 2 against the line: rural 850, urban 2100
        ("rural", "1700.00", {"rigid_expenses": "1000.00"}, True, "500.00", "county"),  # (1700 − 170) ÷ 2 = 765
        ("rural", "2000.00", {"rigid_expenses": "1000.00"}, False, "0.00", None),  # (2000 − 200) ÷ 2 = 900 ≥ 850
        ("rural", "0", {"rigid_expenses": "901.00"}, True, "451.00", "township"),  # 450.50 half up → 451 (≤ 460)
        ("rural", "0", {"rigid_expenses": "919.00"}, True, "460.00", "township"),  # 459.50 → 460 = 2 × S
        ("rural", "0", {"rigid_expenses": "921.00"}, True, "461.00", "county"),  # 460.50 → 461
        ("rural", "0", {"rigid_expenses": "9000.00", "reimbursed": "1000.00"}, True, "2300.00", "county"),  # cap
        ("urban", "4390.00", {"rigid_expenses": "1500.00"}, True, "750.00", "township"),  # (4390 − 200) ÷ 2 = 2095
        ("urban", "4400.00", {"rigid_expenses": "1500.00"}, False, "0.00", None),  # (4400 − 200) ÷ 2 = 2100, not below
    ],
)
def test_expenditure_kind(decide, hukou, income, extra, eligible, amount, level):
    members = [person(incomes=[{"kind": "wage", "monthly": income}]), person("乙", relation="spouse")]
    d = decide(household(*members, hukou=hukou, hardship=hardship("expenditure", **extra)), "temporary", ON)
    assert d["eligible"] is eligible, d["reasons_ineligible"]
    assert d["amount"] == amount
    assert d["approval_level"] == level
    assert d["fast_track"] is False  # the expenditure kind is never paid first


def test_expenditure_line_is_strict(decide):
    """Per-capita income equal to the line is not below it: business income 1700 ÷ 2 = 850 (no job-cost deduction)."""
    members = [person(incomes=[{"kind": "business", "monthly": "1700.00"}]), person("乙", relation="spouse")]
    d = decide(household(*members, hardship=hardship("expenditure", rigid_expenses="500")), "temporary", ON)
    assert d["eligible"] is False
    assert [r["code"] for r in d["reasons_ineligible"]] == ["income_above_line"]


def test_same_cause_once_a_calendar_year(decide):
    d = decide(household(person(), hardship=hardship(loss="300", same_cause_this_year=True)), "temporary", ON)
    assert d["eligible"] is False and d["amount"] == "0.00"
    assert d["approval_level"] is None and d["fast_track"] is False
    assert "same_cause_this_year" in [r["code"] for r in d["reasons_ineligible"]]


@pytest.mark.parametrize("kind,extra", [("emergency", {"loss": "500", "reimbursed": "500"}), ("expenditure", {})])
def test_nothing_left_is_not_eligible(decide, kind, extra):
    d = decide(household(person(), hardship=hardship(kind, **extra)), "temporary", ON)
    assert d["eligible"] is False and d["amount"] == "0.00"
    assert "amount_zero" in [r["code"] for r in d["reasons_ineligible"]]


def test_explanation_reads_aloud_in_both_languages(decide):
    d = decide(household(person(), hardship=hardship(loss="300")), "temporary", ON)
    text = " ".join(s["zh"] for s in d["explanation"])
    assert "农村低保标准 S = 230.00" in text and "乡镇审批" in text and "5 个工作日内补办手续" in text
    assert all(s["en"] and s["zh"] for s in d["explanation"])
