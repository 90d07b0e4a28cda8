"""Orphans and de facto unsupported children, table-driven from domain.md §5b (demo pack): each parent
situation, the 6 months out of contact, study past 18 until the month before the 22nd birthday, institution."""

import datetime as dt

import pytest

from .conftest import household, person

ON = dt.date(2016, 6, 15)
QUALIFY_ALONE = ["disabled", "seriously_ill", "in_prison", "compulsory_rehab"]


def parent(status, since=None):
    return {"status": status, **({"since": since} if since else {})}


def child(*parents, birth="2008-03-01", **extra):
    return person("小明", birth=birth, relation="child", parents=list(parents), **extra)


def evaluate(decide, *parents, on=ON, **extra):
    return decide(household(person("祖母", birth="1950-01-01"), child(*parents, **extra)), "children", on)


@pytest.mark.parametrize("a", ["dead", "missing"])
@pytest.mark.parametrize("b", ["dead", "missing"])
def test_orphan_both_parents_dead_or_missing(decide, a, b):
    d = evaluate(decide, parent(a), parent(b))
    assert d["monthly_amount"] == "600.00" and d["members"][1]["kind"] == "orphan"


@pytest.mark.parametrize("a", QUALIFY_ALONE)
@pytest.mark.parametrize("b", QUALIFY_ALONE)
def test_de_facto_both_unable(decide, a, b):
    d = evaluate(decide, parent(a), parent(b))
    assert d["monthly_amount"] == "600.00" and d["members"][1]["kind"] == "de_facto"


@pytest.mark.parametrize("a", [*QUALIFY_ALONE, "lost_contact"])
@pytest.mark.parametrize("b", ["dead", "missing"])
def test_de_facto_one_unable_other_gone(decide, a, b):
    d = evaluate(decide, parent(a, "2015-01-01" if a == "lost_contact" else None), parent(b))
    assert d["monthly_amount"] == "600.00" and d["members"][1]["kind"] == "de_facto"


@pytest.mark.parametrize(
    "since,qualifies",
    [
        ("2015-12-15", True),  # 6 months to the day on 2016-06-15
        ("2015-12-16", False),  # a day short
        ("2015-08-31", True),
        ("2016-01-01", False),
    ],
)
def test_lost_contact_six_months(decide, since, qualifies):
    d = evaluate(decide, parent("lost_contact", since), parent("in_prison"))
    assert d["eligible"] is qualifies


def test_lost_contact_from_the_31st_counts_to_the_months_last_day(decide):
    """31 August + 6 months is 28 February (29 in a leap year)."""
    on = dt.date(2016, 2, 29)
    assert evaluate(decide, parent("lost_contact", "2015-08-31"), parent("dead"), on=on)["eligible"] is True
    assert (
        evaluate(decide, parent("lost_contact", "2015-08-31"), parent("dead"), on=on.replace(day=28))["eligible"]
        is False
    )


@pytest.mark.parametrize(
    "a,b",
    [
        ("none", "dead"),
        ("none", "disabled"),
        ("none", "none"),
        ("dead", "none"),
        ("in_prison", "none"),
    ],
)
def test_one_able_parent_does_not_qualify(decide, a, b):
    d = evaluate(decide, parent(a), parent(b))
    assert d["eligible"] is False and d["monthly_amount"] == "0.00"
    assert "parents_not_qualifying" in [r["code"] for r in d["reasons_ineligible"]]


def test_only_one_parent_given_counts_the_other_as_able(decide):
    assert evaluate(decide, parent("dead"))["eligible"] is False


@pytest.mark.parametrize(
    "birth,student,on,amount",
    [
        ("1998-06-16", False, "2016-06-15", "600.00"),  # 17 the day before the birthday
        ("1998-06-15", False, "2016-06-15", "0.00"),  # 18 today, not studying
        ("1998-06-15", True, "2016-06-15", "600.00"),  # 18, in full-time study
        ("1994-07-10", True, "2016-06-30", "600.00"),  # the month before the 22nd birthday
        ("1994-07-10", True, "2016-07-01", "0.00"),  # the month of the 22nd birthday
        ("1994-07-10", False, "2016-06-30", "0.00"),
    ],
)
def test_age_and_study(decide, birth, student, on, amount):
    d = evaluate(decide, parent("dead"), parent("dead"), birth=birth, student=student, on=dt.date.fromisoformat(on))
    assert d["monthly_amount"] == amount


def test_institution_rate(decide):
    d = evaluate(decide, parent("dead"), parent("missing"), in_institution=True)
    assert d["monthly_amount"] == "1000.00" and d["members"][1]["in_institution"] is True


def test_dead_child_and_explanation(decide):
    d = evaluate(decide, parent("dead"), parent("dead"), died_on="2016-05-01")
    assert d["eligible"] is False
    d = evaluate(decide, parent("in_prison"), parent("lost_contact", "2015-01-01"))
    text = " ".join(s["zh"] for s in d["explanation"])
    assert "服刑在押" in text and "失联（自 2015-01-01）" in text and "事实无人抚养儿童" in text
