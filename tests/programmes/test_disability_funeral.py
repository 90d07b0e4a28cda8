"""The disability two subsidies (domain.md §5c) and the basic funeral fee waiver (§5d), table-driven from the
demo pack: every grade with and without dibao, tekun, death; every funeral service cap."""

import datetime as dt

import pytest

from doudi.core.errors import ApplicationError
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.inputs import household_from_json

from .conftest import household, person

ON = dt.date(2016, 6, 1)


# (grade, dibao household, living, care)
DISABILITY = [
    (1, True, "50.00", "100.00"),
    (2, True, "50.00", "50.00"),
    (3, True, "50.00", "0.00"),
    (4, True, "50.00", "0.00"),
    (1, False, "0.00", "100.00"),
    (2, False, "0.00", "50.00"),
    (3, False, "0.00", "0.00"),
    (4, False, "0.00", "0.00"),
]


@pytest.mark.parametrize("grade,dibao,living,care", DISABILITY)
def test_disability_table(decide, grade, dibao, living, care):
    raw = household(person(disability={"kind": "physical", "grade": grade}), enrolled=["dibao"] if dibao else [])
    d = decide(raw, "disability", ON)
    m = d["members"][0]
    assert (m["living_subsidy"], m["care_subsidy"]) == (living, care)
    total = f"{float(living) + float(care):.2f}"
    assert d["monthly_amount"] == m["amount"] == total
    assert d["eligible"] is (total != "0.00")


def test_disability_tekun_gets_neither(decide):
    raw = household(person(disability={"kind": "physical", "grade": 1}, receives_tekun=True), enrolled=["dibao"])
    d = decide(raw, "disability", ON)
    assert d["monthly_amount"] == "0.00" and d["members"][0]["excluded_reason"] == "receives_tekun"


@pytest.mark.parametrize("died,paid", [("2016-06-30", True), ("2016-06-01", True), ("2016-05-31", False)])
def test_disability_paid_to_the_month_of_death(decide, died, paid):
    raw = household(person(disability={"kind": "physical", "grade": 2}, died_on=died))
    assert decide(raw, "disability", ON)["eligible"] is paid


def test_disability_has_no_parameters_before_2016(pack):
    with pytest.raises(ApplicationError) as e:
        evaluate("disability", household_from_json(household(person())), dt.date(2015, 6, 1))
    assert e.value.field == "on"


def services(*items):
    return [{"kind": k, "fee": f, **({"days": days} if days else {})} for k, f, days in items]


# (services, amount waived)
FUNERAL = [
    (services(("transport", "250.00", 0)), "250.00"),
    (services(("transport", "300.00", 0)), "300.00"),
    (services(("transport", "350.00", 0)), "300.00"),
    (services(("transport", "200.00", 0), ("transport", "200.00", 0)), "300.00"),  # the cap is per kind
    (services(("cold_storage", "90.00", 2)), "90.00"),  # 45 a day, 2 days
    (services(("cold_storage", "150.00", 3)), "150.00"),  # 50 a day, 3 days
    (services(("cold_storage", "180.00", 3)), "150.00"),  # 60 a day capped at 50
    (services(("cold_storage", "200.00", 5)), "120.00"),  # 40 a day, at most 3 days
    (services(("cold_storage", "100.00", 3)), "100.00"),  # 33.333… a day × 3 = 100.00
    (services(("cold_storage", "100.00", 6)), "50.00"),  # 16.666… a day × 3 = 50.00
    (services(("cremation", "380.00", 0)), "380.00"),
    (services(("cremation", "600.00", 0)), "400.00"),
    (services(("urn", "150.00", 0)), "150.00"),
    (services(("urn", "980.00", 0)), "200.00"),
    (services(("ash_storage", "80.00", 0)), "80.00"),
    (services(("ash_storage", "240.00", 0)), "100.00"),
    (services(("other", "500.00", 0)), "0.00"),
    (
        services(
            ("transport", "320.00", 0),
            ("cold_storage", "240.00", 4),
            ("cremation", "450.00", 0),
            ("urn", "380.00", 0),
            ("ash_storage", "100.00", 0),
            ("other", "120.00", 0),
        ),
        "1150.00",  # 300 + 150 + 400 + 200 + 100
    ),
]


@pytest.mark.parametrize("items,amount", FUNERAL)
def test_funeral_table(decide, items, amount):
    raw = household(person(died_on="2016-05-20"), funeral={"member": 0, "services": items})
    d = decide(raw, "funeral", ON)
    assert d["amount"] == amount
    assert d["eligible"] is (amount != "0.00")
    assert d["payee"] == "funeral_home"


def test_funeral_needs_a_recorded_death(decide):
    d = decide(household(person(), funeral={"member": 0, "services": services(("cremation", "400", 0))}), "funeral", ON)
    assert d["eligible"] is False and "not_deceased" in [r["code"] for r in d["reasons_ineligible"]]
    d = decide(
        household(person(status=["deceased"]), funeral={"member": 0, "services": services(("cremation", "400", 0))}),
        "funeral",
        ON,
    )
    assert d["amount"] == "400.00"
