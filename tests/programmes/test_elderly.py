"""Old-age allowance, table-driven from domain.md §5a (demo pack): each bracket, entering it in the birthday
month, the monthly share rounded down to the fen and December's remainder, death months, hukou outside."""

import datetime as dt
from decimal import Decimal

import pytest

from doudi.programmes.rules.elderly import monthly_share

from .conftest import household, person

# (birth date, died_on, month evaluated, amount)
ROWS = [
    ("1936-05-20", None, "2016-04-01", "0.00"),  # 79 until May
    ("1936-05-20", None, "2016-05-01", "20.00"),  # 80 in the birthday month (the 1st, before the day): paid
    ("1936-05-20", None, "2016-12-01", "20.00"),  # 240 − 11 × 20.00
    ("1926-05-20", None, "2016-04-01", "20.00"),  # 89: first bracket
    ("1926-05-20", None, "2016-05-01", "41.66"),  # 90 in May: second bracket, 500 ÷ 12 rounded down
    ("1926-01-31", None, "2016-12-31", "41.74"),  # December: 500 − 11 × 41.66
    ("1916-07-01", None, "2016-06-30", "41.66"),  # 99
    ("1916-07-01", None, "2016-07-01", "300.00"),  # 100: 3600 ÷ 12
    ("1916-07-01", None, "2016-12-01", "300.00"),  # 3600 − 11 × 300
    ("1900-01-01", None, "2015-06-01", "300.00"),  # 115
    ("1930-03-03", "2016-03-31", "2016-03-01", "20.00"),  # paid in the month of death
    ("1930-03-03", "2016-03-01", "2016-03-31", "20.00"),
    ("1930-03-03", "2016-02-29", "2016-03-01", "0.00"),  # nothing after
    ("1926-12-25", "2016-12-01", "2016-12-15", "41.74"),  # turns 90 and dies in December: December's remainder
    ("1936-02-29", None, "2016-02-01", "20.00"),  # born on 29 February, 80 in February
    ("1935-02-28", None, "2015-01-31", "0.00"),
]


@pytest.mark.parametrize("birth,died,on,amount", ROWS)
def test_elderly_table(decide, birth, died, on, amount):
    d = decide(
        household(person(birth=birth, **({"died_on": died} if died else {}))), "elderly", dt.date.fromisoformat(on)
    )
    assert d["monthly_amount"] == amount
    assert d["members"][0]["amount"] == amount
    assert d["eligible"] is (amount != "0.00")


@pytest.mark.parametrize("annual", ["240.00", "500.00", "3600.00", "0.01", "1234.57"])
def test_a_year_of_shares_is_the_years_amount(annual):
    annual = Decimal(annual)
    shares = [monthly_share(annual, m) for m in range(1, 13)]
    assert sum(shares) == annual
    assert all(s >= 0 for s in shares) and len(set(shares[:11])) == 1


def test_household_total_and_hukou(decide):
    raw = household(person(birth="1925-03-15"), person("乙", birth="1936-12-02", relation="spouse"), person("丙"))
    d = decide(raw, "elderly", dt.date(2016, 12, 1))
    assert d["monthly_amount"] == "61.74"
    assert [m["amount"] for m in d["members"]] == ["41.74", "20.00", "0.00"]
    outside = decide({**raw, "area": "511402000000"}, "elderly", dt.date(2016, 12, 1))
    assert outside["eligible"] is False and outside["monthly_amount"] == "0.00"
    assert "hukou_outside_county" in [r["code"] for r in outside["reasons_ineligible"]]


def test_tekun_in_an_institution_still_gets_it(decide):
    raw = household(person(birth="1930-01-01", receives_tekun=True, support_mode="centralised"))
    assert decide(raw, "elderly", dt.date(2016, 6, 1))["monthly_amount"] == "20.00"
