"""Item 1's generator against item 5's alerts: the departments' files generated for a (small) county, written to
disk and loaded like a department's delivery, end with each planted discrepancy as the right alert on the right
person — a death still paid (from the deaths and the funeral records: one alert, the payment held), a car
bought, a company registered, wages above the standard, a move out of the county, enrolment in another county —
and with no alert on anyone else (the generator's ordinary records agree with what was declared)."""

import datetime as dt

import pytest
from django.utils import timezone

from doudi.cases.models import EnrolmentStatus
from doudi.verification.generator import PLANTS, county_files
from doudi.verification.loads import dataset_load
from doudi.verification.models import Alert, AlertRule, AlertState, DatasetLoad, Tier
from doudi.verification.monitoring import monitoring_enter

from ..payments.conftest import enrol, finance  # noqa: F401

TODAY = timezone.localdate()
AS_OF = TODAY - dt.timedelta(days=1)

EXPECTED = {
    "death": AlertRule.DEATH_PAID,
    "vehicle": AlertRule.VEHICLE,
    "business": AlertRule.BUSINESS,
    "wage": AlertRule.INCOME_ABOVE,
    "moved": AlertRule.MOVED_OUT,
    "two_places": AlertRule.TWO_PLACES,
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_planted_discrepancy_ends_as_its_alert(fmt, centre, enrol, tmp_path):
    assert set(EXPECTED) == set(PLANTS)  # a new plant needs its expected alert here
    enrolments = [enrol() for _ in range(10)]
    paths, planted = county_files(out_dir=tmp_path, prefix="511425", as_of=AS_OF, seed=7, fmt=fmt)
    assert set(planted.people) >= set(PLANTS)
    for code, path in sorted(paths.items()):
        dataset_load(actor=centre["centre"], kind=code, as_of=AS_OF, filename=path.name, content=path.read_bytes())
    assert DatasetLoad.objects.count() == len(paths)

    found = {(a.person_id, a.rule) for a in Alert.objects.filter(state=AlertState.OPEN)}
    expected = {(planted.people[plant], rule) for plant, rule in EXPECTED.items()}
    # each planted discrepancy as its own alert, once (the funeral records repeat the death: no second alert)
    assert found == expected, found ^ expected
    assert Alert.objects.count() == len(EXPECTED)

    dead = Alert.objects.get(rule=AlertRule.DEATH_PAID)
    assert dead.held and dead.load.kind in ("death", "funeral")
    by_person = {e.household.memberships.get(relation="head").person_id: e for e in enrolments}
    for plant, person_id in planted.people.items():
        if plant in EXPECTED:
            e = by_person[person_id]
            e.refresh_from_db()
            alert = Alert.objects.get(person_id=person_id)
            assert alert.enrolment_id == e.pk
            # only the death holds the payment; the others wait for the township's check
            assert e.status == (EnrolmentStatus.SUSPENDED if plant == "death" else EnrolmentStatus.ACTIVE), plant


def test_a_wage_reported_for_an_edge_family_is_the_registers_alert(centre, enrol, register, staff, tmp_path):
    """Where the township keeps a household on the register's edge tier, the wage file reports its working-age
    member earning: the alert belongs to the register entry (no payment to hold), and the household leaves the
    edge tier with the departments' figure."""
    from ..conftest import member

    for _ in PLANTS:
        enrol()
    edge = register(members=[member("边大姐", "1978-03-01", 711, "head"), member("边小妹", "2012-05-01", 712, "child")])
    entry = monitoring_enter(actor=staff["caseworker_a"], household_id=edge.pk, tier=Tier.EDGE, reason="走访核实")
    paths, planted = county_files(out_dir=tmp_path, prefix="511425", as_of=AS_OF, seed=7, fmt="csv")
    head = edge.memberships.get(relation="head").person
    assert planted.people["register_wage"] == head.pk  # the adult, not the child
    for code, path in sorted(paths.items()):
        dataset_load(actor=centre["centre"], kind=code, as_of=AS_OF, filename=path.name, content=path.read_bytes())
    [alert] = Alert.objects.filter(person=head)
    assert (alert.rule, alert.entry_id, alert.enrolment_id, alert.held) == (
        AlertRule.INCOME_ABOVE,
        entry.pk,
        None,
        False,
    )
    assert "低保边缘线" in alert.detail
    entry.refresh_from_db()
    assert entry.left_on is not None and "不低于低保边缘线" in entry.leave_reason
    # the payments' discrepancies are planted as before, each its own alert
    assert {a.rule for a in Alert.objects.exclude(pk=alert.pk)} == set(EXPECTED.values())


def test_no_edge_family_no_register_plant(centre, enrol, tmp_path):
    enrol()
    _paths, planted = county_files(out_dir=tmp_path, prefix="511425", as_of=AS_OF, seed=7, fmt="csv")
    assert "register_wage" not in planted.people
