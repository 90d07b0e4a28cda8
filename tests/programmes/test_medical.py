"""Medical assistance, table-driven from domain.md §4 (demo pack): each group's ratio, deductible and caps, the
serious-disease cap, the deductible used across claims and the cap left across the year."""

import datetime as dt

import pytest

from doudi.core.errors import ApplicationError
from doudi.programmes.rules.inputs import household_from_json

from .conftest import household, person

ON = dt.date(2016, 6, 1)


def claim(oop, *, serious=False, assisted="0", used="0", member=0, date="2016-04-01"):
    return {
        "member": member,
        "in_scope_out_of_pocket": oop,
        "serious_disease": serious,
        "assisted_this_year": assisted,
        "deductible_used_this_year": used,
        "date": date,
    }


def covered(group):
    """A household whose member 0 is in ``group``."""
    if group == "tekun":
        return {"members": [person(receives_tekun=True)]}
    return {"members": [person()], "enrolled": [group]}


# (group, claim, amount, deductible_applied)
ROWS = [
    ("tekun", claim("1000.00"), "1000.00", "0.00"),  # 100%, no deductible
    ("dibao", claim("1000.00"), "700.00", "0.00"),  # 70%
    ("dibao", claim("333.33"), "233.33", "0.00"),  # 233.331 half up to the fen
    ("dibao", claim("0.05"), "0.04", "0.00"),  # 0.035 half up → 0.04
    ("edge", claim("1000.00"), "0.00", "1000.00"),  # within the 1500 deductible: nothing
    ("edge", claim("2000.00"), "300.00", "1500.00"),  # (2000 − 1500) × 60%
    ("edge", claim("2000.00", used="1000.00"), "900.00", "500.00"),  # deductible used by an earlier claim
    ("edge", claim("2000.00", used="1500.00"), "1200.00", "0.00"),  # deductible used up
    ("tekun", claim("9000.00"), "8000.00", "0.00"),  # general cap
    ("dibao", claim("9000.00", assisted="7500.00"), "500.00", "0.00"),  # cap left 500
    ("dibao", claim("1000.00", assisted="8000.00"), "0.00", "0.00"),  # cap used up
    ("tekun", claim("40000.00", serious=True), "30000.00", "0.00"),  # serious-disease cap replaces the general
    ("dibao", claim("20000.00", serious=True, assisted="8000.00"), "14000.00", "0.00"),  # 20000 × 70% within 22000
    ("edge", claim("60000.00", serious=True, assisted="5000.00"), "25000.00", "1500.00"),  # 30000 − 5000 left
]


@pytest.mark.parametrize("group,raw_claim,amount,applied", ROWS)
def test_medical_table(decide, group, raw_claim, amount, applied):
    d = decide(household(claim=raw_claim, **covered(group)), "medical", ON)
    assert d["amount"] == amount
    assert d["eligible"] is (amount != "0.00")
    assert d["group"] == group
    assert d["deductible_applied"] == applied


def test_deductible_consumed_across_claims(decide):
    """Three claims of one edge-family member in a year, each fed the year so far from the one before."""
    used, assisted, paid = "0.00", "0.00", []
    for oop in ("800.00", "1200.00", "3000.00"):
        d = decide(household(claim=claim(oop, used=used, assisted=assisted), **covered("edge")), "medical", ON)
        paid.append(d["amount"])
        used = f"{float(used) + float(d['deductible_applied']):.2f}"
        assisted = f"{float(assisted) + float(d['amount']):.2f}"
    # 800 all deductible; 1200: 700 deductible + 500 × 60% = 300; 3000 × 60% = 1800
    assert paid == ["0.00", "300.00", "1800.00"]
    assert used == "1500.00"


def test_tekun_before_dibao(decide):
    d = decide(household(members=[person(receives_tekun=True)], enrolled=["dibao"], claim=claim("100")), "medical", ON)
    assert d["group"] == "tekun" and d["amount"] == "100.00"


def test_not_covered(decide):
    d = decide(household(person(), claim=claim("1000")), "medical", ON)
    assert d["eligible"] is False and d["amount"] == "0.00"
    assert [r["code"] for r in d["reasons_ineligible"]] == ["not_covered"]


def test_claim_member_out_of_range_names_the_field(pack):
    with pytest.raises(ApplicationError) as e:
        household_from_json(household(person(), claim=claim("1", member=3)))
    assert e.value.field == "claim.member"
