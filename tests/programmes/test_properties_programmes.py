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


# the demo pack's disability subsidies (domain.md §5c, from 2016-01-01) and funeral caps (§5d)
LIVING = Decimal("50.00")
CARE = {1: Decimal("100.00"), 2: Decimal("50.00")}
FUNERAL_CAPS = {"transport": 300, "cold_storage": 3 * 50, "cremation": 400, "urn": 200, "ash_storage": 100, "other": 0}
SERVICE_KINDS = list(FUNERAL_CAPS)


@SETTINGS
@given(
    members=st.lists(
        st.tuples(st.one_of(st.none(), st.integers(1, 4)), st.booleans()),  # (disability grade or none, tekun)
        min_size=1,
        max_size=6,
    ),
    dibao=st.booleans(),
    on=st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2017, 12, 31)),
)
def test_disability_subsidies_follow_the_rule_for_every_household(pack, members, dibao, on):
    """Whatever the household: no amount is negative; a tekun recipient gets neither subsidy; the care subsidy goes
    only to grades 1–2 (100.00, 50.00); the living subsidy (50.00) only to disabled members of a dibao household;
    the household's amount is its members' sum and eligibility is a positive sum."""
    raw = household(
        *(
            person(
                name=f"成员{i}",
                relation="head" if i == 0 else "child",
                receives_tekun=tekun,
                **({"disability": {"kind": "physical", "grade": grade}} if grade else {}),
            )
            for i, (grade, tekun) in enumerate(members)
        ),
        enrolled=["dibao"] if dibao else [],
    )
    d = run("disability", raw, on)
    assert len(d.members) == len(members)
    for (grade, tekun), line in zip(members, d.members, strict=True):
        living, care = line.detail["living_subsidy"], line.detail["care_subsidy"]
        assert fen(living) and fen(care) and fen(line.amount)
        assert line.amount == living + care
        if tekun or grade is None:
            assert living == care == 0  # tekun's care standard covers both; no certificate, nothing
            continue
        assert care == CARE.get(grade, Decimal(0))  # grades 3–4 get no care subsidy
        assert living == (LIVING if dibao else Decimal(0))  # only members of a dibao household
    assert d.monthly_amount == sum((line.amount for line in d.members), Decimal(0))
    assert d.eligible == (d.monthly_amount > 0)


# fees mostly around the caps (where a rule would go wrong), sometimes anything
fee = st.one_of(st.decimals(min_value=0, max_value=1500, places=2), money)
funeral_services = st.lists(st.tuples(st.sampled_from(SERVICE_KINDS), fee, st.integers(1, 30)), min_size=1, max_size=8)


def funeral(fees):
    services = [{"kind": k, "fee": str(f), "days": n} for k, f, n in fees]
    return run("funeral", household(person(died_on="2016-05-01"), funeral={"member": 0, "services": services}))


@SETTINGS
@given(fees=funeral_services, which=st.integers(0, 7), more=fee)
def test_funeral_waiver_monotone_and_bounded(pack, fees, which, more):
    """Raising any one service's actual fee never lowers the waiver; the waiver is never above the sum of the caps
    nor above the fees actually charged, in all and kind by kind."""
    d = funeral(fees)
    assert fen(d.amount)
    assert d.amount <= sum(FUNERAL_CAPS.values())
    assert d.amount <= sum((f for _k, f, _n in fees), Decimal(0))
    for line in d.result["services"]:
        assert Decimal(line["waived"]) <= min(Decimal(line["fee"]), FUNERAL_CAPS[line["kind"]])
    i = which % len(fees)
    kind, fee, n = fees[i]
    raised = [*fees[:i], (kind, fee + more, n), *fees[i + 1 :]]
    assert funeral(raised).amount >= d.amount
