"""Fixtures shared by the benefits tests: ``setup`` (the demo policy pack, the county's approver, two township
caseworkers, a village cadre and two finance officers), ``family`` (a household receiving every programme) and
``vet`` (a finance officer and a maker of approved veterans' entitlements).
A module that needs another world defines its own ``setup``."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from doudi.accounts.actions import staff_create
from doudi.benefits.actions import benefit_grant, elderly_roster_build
from doudi.benefits.veterans import veteran_decide, veteran_enter
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.pack import DEMO_PACK
from doudi.programmes.rules.inputs import Claim, Parent
from doudi.programmes.rules.registry_input import household_input
from doudi.registry.models import Membership, Person

from ..conftest import PASSWORD, county_finance, member
from .helpers import dibao


@pytest.fixture
def setup(staff, register):
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)

    def fin(name):
        return staff_create(
            actor=None,
            username=name,
            password=PASSWORD,
            role="finance_officer",
            area_code="511425000000",
            check_password=False,
        )

    f1, f2 = fin("fin1"), fin("fin2")
    return {
        "approver": staff["approver"],
        "caseworker": staff["caseworker_a"],
        "caseworker_b": staff["caseworker_b"],
        "cadre": staff["cadre_a"],
        "finance": f1,
        "f1": f1,
        "f2": f2,
        "register": register,
    }


@pytest.fixture
def family(setup):
    """周老汉 (86, grade 2 physical disability) receives the old-age allowance, the disability care subsidy and a
    medical assistance settlement not yet paid; his household receives dibao; his granddaughter the children's
    allowance."""
    approver = setup["approver"]
    h = setup["register"](
        members=[
            member("周老汉", "1940-11-20", 31, "head", disability_kind="physical", disability_grade=2),
            member("周小妹", "1980-03-05", 42, "child"),
            member("周丫丫", "2016-05-01", 52, "grandchild", student=True),
        ],
    )
    old = Person.objects.get(name="周老汉")
    child = Person.objects.get(name="周丫丫")
    elderly_roster_build(actor=approver, month=dt.date(2026, 3, 1))
    benefit_grant(
        actor=approver,
        programme="disability",
        household=h,
        person=old,
        on=dt.date(2026, 3, 2),
        facts=household_input(h),
    )
    facts = household_input(h)
    facts.members = [
        replace(m, parents=[Parent("dead"), Parent("dead")]) if m.person_id == child.pk else m for m in facts.members
    ]
    benefit_grant(actor=approver, programme="children", household=h, person=child, on=dt.date(2026, 2, 10), facts=facts)
    claim = Claim(0, Decimal("2000.00"), False, Decimal("0"), Decimal("0"), dt.date(2026, 4, 2))
    benefit_grant(
        actor=approver,
        programme="medical",
        household=h,
        person=old,
        on=dt.date(2026, 4, 7),
        facts=replace(household_input(h), enrolled=("dibao",), claim=claim),
    )
    d = dibao(h, old, approver=approver)
    Membership.objects.update(start_date=dt.date(2020, 1, 1))  # registered long before the events below
    return {"household": h, "old": old, "child": child, "dibao": d}


@pytest.fixture
def vet(staff, register):
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    fin = county_finance()

    def entitled(category, grade=None, start="2026-01-01", name="王建国", seq=31, area="511425101201", **extra):
        h = register(
            members=[member(name, "1955-04-10", seq, "head")],
            area=area,
            actor=staff["caseworker_a"] if area.startswith("511425101") else staff["caseworker_b"],
        )
        person = Person.objects.get(name=name)
        entering = staff["caseworker_a"] if area.startswith("511425101") else staff["caseworker_b"]
        if category == "disabled":
            extra.setdefault("cause", "duty")
        v = veteran_enter(
            actor=entering,
            person=person,
            category=category,
            grade=grade,
            start_month=dt.date.fromisoformat(start),
            **extra,
        )
        return veteran_decide(actor=staff["approver"], entitlement=v, approve=True, on=dt.date.fromisoformat(start)), h

    return {"staff": staff, "finance": fin, "entitled": entitled}
