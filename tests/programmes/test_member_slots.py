"""A household with more earners and more elderly members than its facts row has slots for: the set-based
engine adds the members' own rows for the rest and agrees with the Python rules to the fen."""

import datetime as dt
from decimal import Decimal

import pytest

from doudi.programmes.batch import evaluation_run
from doudi.programmes.models import EvaluationResult
from doudi.registry import actions
from doudi.registry.facts import facts_differences
from doudi.registry.models import HouseholdFacts, MemberFacts, Person

from ..conftest import member

ON = dt.date(2016, 6, 1)  # 70 or older: born on or before 1946-06-01


@pytest.mark.django_db
def test_households_beyond_their_slots_evaluate_as_the_rules_do(pack, register, staff):
    cw = staff["caseworker_a"]
    h = register(
        hukou_type="urban",
        members=[
            member("钱老大", "1940-03-02", 11, "head"),
            member("孙桂兰", "1945-01-09", 22, "spouse"),
            member("钱太公", "1930-07-01", 31, "parent"),
            member("钱老二", "1946-06-01", 41, "sibling"),
            member("钱小一", "1980-05-05", 51, "child"),
            member("钱小二", "1984-08-08", 61, "child"),
        ],
    )
    people = {p.name: p for p in Person.objects.filter(memberships__household=h)}
    actions.person_update(
        actor=cw, person=people["钱老二"], data={"disability_kind": "physical", "disability_grade": 1}
    )
    for name, wage in (("钱老大", "2100"), ("孙桂兰", "50"), ("钱小一", "40"), ("钱小二", "30")):
        actions.record_add(
            actor=cw, household=h, kind="incomes", data={"person": people[name].pk, "kind": "wage", "monthly": wage}
        )

    f = HouseholdFacts.objects.get(household=h)
    # the first two earners by person key and the two oldest members without a disability or illness add-on
    assert (f.wage_1, f.wage_2) == (210000, 5000)
    assert (f.born_1, f.born_2) == (dt.date(1930, 7, 1), dt.date(1940, 3, 2))
    rows = {m.person.name: (m.wage_inline, m.age_inline) for m in MemberFacts.objects.filter(household=h)}
    assert rows == {
        "钱老大": (True, True),
        "孙桂兰": (True, False),
        "钱太公": (False, True),
        "钱老二": (False, False),
        "钱小一": (False, False),
        "钱小二": (False, False),
    }
    assert facts_differences() == []

    sql_run = evaluation_run(actor=None, programme="dibao", on=ON, area_prefix="511425", keep_all=True)
    py_run = evaluation_run(actor=None, programme="dibao", on=ON, area_prefix="511425", engine="python")
    sql, py = (EvaluationResult.objects.get(run=r, household=h) for r in (sql_run, py_run))
    # deductions 200 (capped) + 5 + 4 + 3; (2220 − 212) ÷ 6 = 334.67; base (400 − 334.67) × 6 = 391.98;
    # add-ons 40 + 40 + 40 (age, three of them) + 80 (disability grade 1, the larger of two) = 200 → 591.98 → 592
    assert (py.eligible, py.per_capita_income, py.monthly_amount) == (True, Decimal("334.67"), Decimal("592.00"))
    assert (sql.eligible, sql.per_capita_income, sql.monthly_amount, sql.counted_members) == (
        py.eligible,
        py.per_capita_income,
        py.monthly_amount,
        py.counted_members,
    )

    # a member leaving the household moves the next ones into the slots
    actions.person_update(actor=cw, person=people["钱老大"], data={"deceased": True})
    f = HouseholdFacts.objects.get(household=h)
    assert (f.wage_1, f.wage_2, f.born_1, f.born_2) == (5000, 4000, dt.date(1930, 7, 1), dt.date(1945, 1, 9))
    assert facts_differences() == []
