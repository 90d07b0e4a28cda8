"""Table-driven tests of the dibao rules against the demo pack (domain.md §2)."""

import datetime as dt

import pytest

from .conftest import household, person

WORKED_FAMILY = [
    person("父", "1965-05-01", "head"),
    person("母", "1967-03-01", "spouse"),
    person("子", "1999-02-01", "child", student=True),
]


def family(wage):
    head = dict(WORKED_FAMILY[0], incomes=[{"kind": "wage", "monthly": str(wage)}])
    return household(head, *WORKED_FAMILY[1:])


def test_worked_example_wage_800_is_not_eligible(decide):
    d = decide(family(800))
    assert d["per_capita_income"] == "240.00" and not d["eligible"] and d["monthly_amount"] == "0.00"
    assert d["reasons_ineligible"][0]["code"] == "income_above_standard"
    steps = {s["rule"]: s for s in d["explanation"]}
    assert steps["job_cost_deduction"]["value"] == "80.00"


def test_worked_example_wage_500_gets_120(decide):
    d = decide(family(500))
    assert (d["eligible"], d["monthly_amount"], d["per_capita_income"], d["counted_members"]) == (
        True,
        "120.00",
        "150.00",
        3,
    )
    steps = {s["rule"]: s for s in d["explanation"]}
    assert steps["per_capita_income"]["zh"] == "人均收入 = (500.00 − 50.00) ÷ 3 = 150.00 元"
    assert steps["base_amount"]["value"] == "120.00"
    assert steps["floor"]["value"] == "57.00" and "不适用" in steps["floor"]["zh"]
    assert [s["rule"] for s in d["explanation"]][-1] == "monthly_amount"


@pytest.mark.parametrize(
    "hukou, on, standard",
    [
        ("rural", "2015-06-01", "190.00"),
        ("urban", "2015-06-01", "370.00"),
        ("rural", "2016-01-01", "230.00"),
        ("urban", "2016-03-01", "400.00"),
        ("rural", "2015-12-31", "190.00"),
    ],
)
def test_standard_by_hukou_and_date(decide, hukou, on, standard):
    d = decide(household(person(), hukou=hukou), on=dt.date.fromisoformat(on))
    assert d["explanation"][0]["value"] == standard
    # a single adult with no income gets the whole standard (rounded)
    assert d["monthly_amount"] == standard


def test_2015_to_2016_change_of_standard(decide):
    before = decide(family(500), on=dt.date(2015, 12, 31))
    after = decide(family(500), on=dt.date(2016, 1, 1))
    assert before["monthly_amount"] == "120.00"
    assert after["monthly_amount"] == "240.00"  # (230 − 150) × 3


@pytest.mark.parametrize(
    "kind, counted",
    [
        ("wage", True),
        ("business", True),
        ("property", True),
        ("pension", True),
        ("unemployment_benefit", True),
        ("compensation", True),
        ("support_received", True),
        ("gift", True),
        ("preferential_payment", False),
        ("family_planning_award", False),
        ("scholarship", False),
        ("good_samaritan_award", False),
        ("social_assistance", False),
        ("residents_basic_pension", False),
    ],
)
def test_each_income_kind(decide, kind, counted):
    d = decide(household(person(incomes=[{"kind": kind, "monthly": "100.00"}])))
    expected = "100.00" if counted else "0.00"
    if kind == "wage":
        expected = "90.00"  # 10% job-cost deduction
    assert d["per_capita_income"] == expected


@pytest.mark.parametrize("kind", ["support_paid", "social_insurance_contribution", "tax"])
def test_transfers_out_are_subtracted(decide, kind):
    d = decide(household(person(incomes=[{"kind": "business", "monthly": "300.00"}, {"kind": kind, "monthly": "40"}])))
    assert d["per_capita_income"] == "260.00"


@pytest.mark.parametrize("source, counted", [("sibling", False), ("supporter_60_plus", False), ("other", True)])
def test_support_received_by_source(decide, source, counted):
    d = decide(household(person(incomes=[{"kind": "support_received", "monthly": "150", "from": source}])))
    assert d["per_capita_income"] == ("150.00" if counted else "0.00")


def test_job_cost_deduction_is_capped(decide):
    d = decide(household(person(incomes=[{"kind": "wage", "monthly": "2500"}])))
    steps = [s for s in d["explanation"] if s["rule"] == "job_cost_deduction"]
    assert steps[0]["value"] == "200.00" and d["per_capita_income"] == "2300.00"


def test_rigid_expenditure_is_deducted_and_income_never_below_zero(decide):
    d = decide(
        household(
            person(incomes=[{"kind": "business", "monthly": "300"}], expenses=[{"kind": "medical", "monthly": "120"}])
        )
    )
    assert d["per_capita_income"] == "180.00"
    d = decide(
        household(
            person(incomes=[{"kind": "business", "monthly": "100"}], expenses=[{"kind": "education", "monthly": "500"}])
        )
    )
    assert d["per_capita_income"] == "0.00"


@pytest.mark.parametrize("status", ["deceased", "in_prison", "compulsory_rehab", "missing", "clergy_away"])
def test_each_excluded_member_status(decide, status):
    away = person("乙", "1970-01-01", "spouse", status=[status], incomes=[{"kind": "business", "monthly": "1000"}])
    d = decide(household(person(), away))
    assert d["counted_members"] == 1
    line = d["members"][1]
    assert line["counted"] is False and line["excluded_reason"] == status
    assert d["per_capita_income"] == "0.00"  # the excluded member's income is not counted
    assert d["monthly_amount"] == "190.00"


def test_tekun_member_is_not_counted_for_dibao(decide):
    d = decide(household(person(), person("老", "1940-01-01", "parent", receives_tekun=True)))
    assert d["counted_members"] == 1 and d["members"][1]["excluded_reason"] == "receives_tekun"


@pytest.mark.parametrize(
    "assets, ok, code",
    [
        ({"financial": "4560.00"}, True, None),  # 24 × 190 × 1
        ({"financial": "4560.01"}, False, "financial_assets"),
        ({"vehicles": [{"value": "30000", "purpose": "livelihood"}]}, True, None),
        ({"vehicles": [{"value": "30000.01", "purpose": "livelihood"}]}, False, "vehicles"),
        ({"vehicles": [{"value": "90000", "purpose": "disability"}]}, True, None),
        ({"vehicles": [{"value": "5000", "purpose": "other"}]}, False, "vehicles"),
        (
            {"vehicles": [{"value": "5000", "purpose": "livelihood"}, {"value": "5000", "purpose": "livelihood"}]},
            False,
            "vehicles",
        ),
        ({"homes": [{"floor_area_m2": "300"}]}, True, None),
        ({"homes": [{"floor_area_m2": "40"}, {"floor_area_m2": "30"}]}, True, None),  # 70 per member
        ({"homes": [{"floor_area_m2": "40"}, {"floor_area_m2": "30.5"}]}, False, "homes"),
        ({"business_roles": [{"role": "family_workshop", "employees": 0}]}, True, None),
        ({"business_roles": [{"role": "family_workshop", "employees": 1}]}, False, "business"),
        ({"business_roles": [{"role": "legal_representative", "employees": 0}]}, False, "business"),
        ({"business_roles": [{"role": "shareholder"}]}, False, "business"),
        ({"business_roles": [{"role": "executive"}]}, False, "business"),
    ],
)
def test_each_asset_rule(decide, assets, ok, code):
    d = decide(household(person(), assets=assets))
    assert d["eligible"] is ok
    assert [r["code"] for r in d["reasons_ineligible"]] == ([] if ok else [code])


@pytest.mark.parametrize(
    "member, addon",
    [
        (person("老", "1944-01-01"), "19.00"),  # 70+: 10%
        (person(disability={"kind": "physical", "grade": 2}), "38.00"),  # 20%
        (person(disability={"kind": "physical", "grade": 3}), "0.00"),
        (person(serious_illness=True), "38.00"),  # 20%
        (person("老", "1940-01-01", serious_illness=True, disability={"kind": "visual", "grade": 1}), "38.00"),
    ],
)
def test_classified_addons_do_not_stack(decide, member, addon):
    d = decide(household(member))
    assert d["members"][0]["addon"] == addon
    assert d["monthly_amount"] == f"{190 + int(float(addon))}.00"


def test_floor_binds(decide):
    # per-capita 180 → base 10 × 2 = 20 < floor 10% × 190 × 2 = 38
    d = decide(
        household(person(incomes=[{"kind": "business", "monthly": "360"}]), person("乙", "1966-01-01", "spouse"))
    )
    assert d["monthly_amount"] == "38.00"
    assert "按保底发放" in next(s for s in d["explanation"] if s["rule"] == "floor")["zh"]


@pytest.mark.parametrize(
    "income, amount", [("0.50", "370.00"), ("1.50", "369.00"), ("1.51", "368.00"), ("2.49", "368.00")]
)
def test_rounding_half_up_to_whole_yuan(decide, income, amount):
    # urban single: 370 − income, rounded half up to whole yuan (369.50 → 370, 368.50 → 369, 368.49 → 368)
    d = decide(household(person(incomes=[{"kind": "business", "monthly": income}]), hukou="urban"))
    assert d["monthly_amount"] == amount


def test_single_person_enrolment(decide):
    disabled = person(
        "残",
        "1990-01-01",
        "child",
        applies_alone=True,
        disability={"kind": "intellectual", "grade": 3},
        incomes=[{"kind": "business", "monthly": "50"}],
    )
    head = person(incomes=[{"kind": "business", "monthly": "500"}])
    d = decide(household(head, disabled))
    # family per-capita (550 ÷ 2 = 275) < 1.5 × 190 = 285: an edge family; evaluated alone on own 50
    assert d["eligible"] and d["counted_members"] == 1 and d["per_capita_income"] == "50.00"
    assert d["monthly_amount"] == "140.00"
    richer = person(incomes=[{"kind": "business", "monthly": "600"}])
    d = decide(household(richer, disabled))
    assert not d["eligible"] and "not_edge_family" in [r["code"] for r in d["reasons_ineligible"]]
    not_severe = dict(disabled, disability={"kind": "physical", "grade": 3})
    d = decide(household(head, not_severe))
    assert not d["eligible"] and "single_person_not_qualified" in [r["code"] for r in d["reasons_ineligible"]]


def test_hukou_outside_county(decide):
    d = decide(household(person(), area="510104001001"))
    assert not d["eligible"] and d["reasons_ineligible"][0]["code"] == "hukou_outside_county"


def test_township_override_and_no_parameters_before_2015(decide, staff, pack, county_reviewer):
    from doudi.core.errors import ApplicationError
    from doudi.programmes.actions import parameter_version_approve, parameter_version_create
    from doudi.programmes.rules import evaluate
    from doudi.programmes.rules.inputs import household_from_json

    v = parameter_version_create(
        actor=county_reviewer,
        programme="dibao",
        area_code="511425101000",
        effective_from=dt.date(2015, 3, 1),
        values={"standard_rural": "200.00"},
    )
    assert decide(household(person(), area="511425101201"))["monthly_amount"] == "190.00"  # draft: not in force
    parameter_version_approve(actor=staff["approver"], version=v)
    assert decide(household(person(), area="511425101201"))["monthly_amount"] == "200.00"
    assert decide(household(person(), area="511425102201"))["monthly_amount"] == "190.00"  # other township
    with pytest.raises(ApplicationError) as info:
        evaluate("dibao", household_from_json(household(person())), dt.date(2014, 12, 31))
    assert info.value.field == "on"
