"""Property tests (hypothesis) for the programmes of issue 15: never negative, never above the cap, Decimal to
the fen, and monotone where the rule is (a larger loss or bill never gives less; more assisted this year never
gives more; an older person never gets less)."""

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doudi.programmes.rules import evaluate
from doudi.programmes.rules.inputs import household_from_json

from .conftest import household, person

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2017, 12, 31))
CENT = Decimal("0.01")


def run(programme, raw, on=dt.date(2016, 6, 1)):
    return evaluate(programme, household_from_json(raw), on)


def fen(value: Decimal) -> bool:
    return isinstance(value, Decimal) and value >= 0 and value == value.quantize(CENT)


@SETTINGS
@given(
    kind=st.sampled_from(["emergency", "expenditure"]),
    a=money,
    b=money,
    reimbursed=money,
    on=days,
    hukou=st.sampled_from(["urban", "rural"]),
    wage=money,
)
def test_temporary_bounded_and_monotone(pack, kind, a, b, reimbursed, on, hukou, wage):
    field = "loss" if kind == "emergency" else "rigid_expenses"
    low, high = sorted((a, b))

    def raw(x):
        h = {"kind": kind, "cause": "病", field: str(x), "reimbursed": str(reimbursed), "date": on.isoformat()}
        return household(person(incomes=[{"kind": "wage", "monthly": str(wage % 5000)}]), hukou=hukou, hardship=h)

    d_low, d_high = run("temporary", raw(low)), run("temporary", raw(high))
    standard = (
        Decimal("370" if hukou == "urban" else "190")
        if on.year == 2015
        else Decimal("400" if hukou == "urban" else "230")
    )
    for d in (d_low, d_high):
        assert fen(d.amount) and d.amount <= 10 * standard
        assert d.eligible == (d.amount > 0)
        level, fast = d.result["approval_level"], d.result["fast_track"]
        if d.eligible:
            assert level == ("township" if d.amount <= 2 * standard else "county")
            assert fast == (kind == "emergency" and d.amount <= 2 * standard)
        else:
            assert level is None and fast is False
    assert d_low.amount <= d_high.amount


@SETTINGS
@given(
    group=st.sampled_from(["tekun", "dibao", "edge"]),
    oop=money,
    more=money,
    assisted=money,
    used=st.decimals(min_value=0, max_value=3000, places=2),
    serious=st.booleans(),
)
def test_medical_bounded_and_monotone(pack, group, oop, more, assisted, used, serious):
    def raw(x, assisted_so_far):
        claim = {
            "member": 0,
            "in_scope_out_of_pocket": str(x),
            "serious_disease": serious,
            "assisted_this_year": str(assisted_so_far),
            "deductible_used_this_year": str(used),
            "date": "2016-03-01",
        }
        if group == "tekun":
            return household(person(receives_tekun=True), claim=claim)
        return household(person(), enrolled=[group], claim=claim)

    cap = Decimal("30000" if serious else "8000")
    d = run("medical", raw(oop, assisted))
    assert fen(d.amount) and d.amount <= max(cap - assisted, Decimal(0)) and d.amount <= oop
    assert run("medical", raw(oop + more, assisted)).amount >= d.amount  # a larger bill never gives less
    assert run("medical", raw(oop, assisted + more)).amount <= d.amount  # more assisted never gives more


@SETTINGS
@given(birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1950, 12, 31)), on=days)
def test_elderly_bounded_and_monotone_in_age(pack, birth, on):
    d = run("elderly", household(person(birth=birth.isoformat())), on)
    assert fen(d.monthly_amount) and d.monthly_amount <= Decimal("300.00")
    younger = run("elderly", household(person(birth=(birth + dt.timedelta(days=400)).isoformat())), on)
    assert younger.monthly_amount <= d.monthly_amount  # an older person never gets less, December included


@SETTINGS
@given(
    statuses=st.lists(
        st.sampled_from(
            ["dead", "missing", "disabled", "seriously_ill", "in_prison", "compulsory_rehab", "lost_contact", "none"]
        ),
        min_size=0,
        max_size=2,
    ),
    since=days,
    on=days,
    institution=st.booleans(),
)
def test_children_bounded(pack, statuses, since, on, institution):
    parents = [{"status": s, "since": since.isoformat()} for s in statuses]
    raw = household(person(birth="2006-01-01", parents=parents, in_institution=institution))
    d = run("children", raw, on)
    assert d.monthly_amount in (Decimal("0.00"), Decimal("600.00"), Decimal("1000.00"))
    assert d.eligible == (d.monthly_amount > 0)
    if "none" in statuses or len(statuses) < 2:
        assert not d.eligible


@SETTINGS
@given(
    fees=st.lists(
        st.tuples(
            st.sampled_from(["transport", "cold_storage", "cremation", "urn", "ash_storage", "other"]),
            money,
            st.integers(1, 30),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_funeral_never_above_the_fee_or_the_caps(pack, fees):
    services = [{"kind": k, "fee": str(f), "days": n} for k, f, n in fees]
    d = run("funeral", household(person(died_on="2016-05-01"), funeral={"member": 0, "services": services}))
    assert fen(d.amount)
    assert d.amount <= sum((f for _k, f, _n in fees), Decimal(0))
    assert d.amount <= Decimal("300") + Decimal("150") + Decimal("400") + Decimal("200") + Decimal("100")
