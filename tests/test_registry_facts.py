"""The facts batch evaluation reads stay equal to the registry through every kind of change."""

import datetime as dt

from doudi.registry import actions
from doudi.registry.facts import facts_differences, facts_rebuild
from doudi.registry.models import HouseholdFacts, MemberFacts, Person

from .conftest import member


def facts(h) -> HouseholdFacts:
    return HouseholdFacts.objects.get(household=h)


def test_facts_follow_every_registry_action(register, staff):
    cw = staff["caseworker_a"]
    h = register()
    other = register(members=[member("赵四", "1980-02-02", 31, "head")])
    head, wife = Person.objects.get(name="张大山"), Person.objects.get(name="李秀英")
    assert (facts(h).members, facts(h).hukou_type, facts(h).area_code) == (2, "rural", "511425101201")
    assert MemberFacts.objects.filter(household=h).count() == 2

    wage = actions.record_add(
        actor=cw, household=h, kind="incomes", data={"person": wife.pk, "kind": "wage", "monthly": "800.10"}
    )
    actions.record_add(
        actor=cw,
        household=h,
        kind="incomes",  # recorded for the household: the head's
        data={"kind": "support_received", "monthly": "100", "support_from": "sibling"},
    )
    actions.record_add(actor=cw, household=h, kind="incomes", data={"person": head.pk, "kind": "tax", "monthly": "5"})
    actions.record_add(
        actor=cw, household=h, kind="incomes", data={"person": head.pk, "kind": "scholarship", "monthly": "300"}
    )  # not counted
    f = facts(h)
    assert (f.income_counted, f.support_sibling, f.income_subtracted) == (80010, 10000, 500)
    assert MemberFacts.objects.get(person=wife).wage == 80010

    actions.record_update(
        actor=cw,
        household=h,
        kind="incomes",
        record_id=wage.pk,
        data={"person": wife.pk, "kind": "wage", "monthly": "500"},
    )
    assert facts(h).income_counted == 50000 and MemberFacts.objects.get(person=wife).wage == 50000
    actions.record_add(actor=cw, household=h, kind="vehicles", data={"value": "25000", "purpose": "livelihood"})
    actions.record_add(actor=cw, household=h, kind="vehicles", data={"value": "9000", "purpose": "disability"})
    actions.record_add(actor=cw, household=h, kind="homes", data={"floor_area_m2": "80.5"})
    actions.record_add(actor=cw, household=h, kind="financial-assets", data={"kind": "deposit", "amount": "1234.56"})
    f = facts(h)
    assert (f.vehicles, f.vehicles_other_purpose, f.vehicle_livelihood_max) == (1, 0, 2500000)
    assert (f.homes, f.home_area, f.financial_assets) == (1, 8050, 123456)

    # a member who no longer counts takes their income out; the household's own income stays with the head
    actions.person_update(actor=cw, person=wife, data={"in_prison": True})
    assert facts(h).members == 1 and facts(h).income_counted == 0
    assert not MemberFacts.objects.filter(person=wife).exists()
    actions.person_update(
        actor=cw, person=wife, data={"in_prison": False, "disability_kind": "physical", "disability_grade": 1}
    )
    assert MemberFacts.objects.get(person=wife).disability_1_2

    # moving a member changes both households
    actions.person_move(actor=cw, person=wife, to_household=other, relation="spouse", reason="婚姻")
    assert (facts(h).members, facts(other).members) == (1, 2)
    assert MemberFacts.objects.get(person=wife).household_id == other.pk
    actions.household_update(actor=cw, household=other, data={"hukou_type": "urban"})
    assert set(MemberFacts.objects.filter(household=other).values_list("hukou_type", flat=True)) == {"urban"}
    actions.record_delete(actor=cw, household=h, kind="vehicles", record_id=h.vehicles.get(purpose="livelihood").pk)
    assert facts(h).vehicles == 0
    actions.member_leave(actor=cw, person=Person.objects.get(name="赵四"), on=dt.date.today(), reason="迁出")
    assert facts(other).members == 1
    assert facts_differences() == []


def test_differences_are_found_and_a_rebuild_mends_them(register):
    h = register()
    HouseholdFacts.objects.filter(household=h).update(members=7)
    MemberFacts.objects.filter(household=h).delete()
    found = facts_differences()
    assert len(found) == 4, found
    household = [d for d in found if d.startswith("registry_householdfacts")]
    assert any("stored has" in d and "members=7" in d for d in household)
    assert any("registry has" in d and "members=2" in d for d in household)
    assert sum(d.startswith("registry_memberfacts") and "registry has" in d for d in found) == 2
    facts_rebuild("511425101")
    assert facts_differences() == []


def test_command_checks_and_rebuilds(register):
    import pytest
    from django.core.management import CommandError, call_command

    h = register()
    call_command("registry_facts", "--check")
    HouseholdFacts.objects.filter(household=h).update(income_counted=1)
    with pytest.raises(CommandError):
        call_command("registry_facts", "--check")
    call_command("registry_facts", "--rebuild")
    call_command("registry_facts", "--check")
    assert facts(h).income_counted == 0
