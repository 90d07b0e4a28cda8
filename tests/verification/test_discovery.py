"""Item 6: active discovery finds the planted households from each department's load (and not the enrolled ones,
nor those whose income is too high), lists each once, assigns the village cadre, and records the visit's outcome;
the low-income register follows the enrolments and keeps the township's tiers with their reasons."""

import datetime as dt

import pytest
from django.utils import timezone

from doudi.audit.models import AuditEvent
from doudi.cases.actions import application_submit
from doudi.core.errors import ApplicationError, NotFound
from doudi.registry.actions import record_add
from doudi.verification.discovery import discovery_visit
from doudi.verification.generator import _headers, file_bytes
from doudi.verification.loads import dataset_load
from doudi.verification.models import Discovery, DiscoveryRule, DiscoveryState, MonitoringEntry, Tier
from doudi.verification.monitoring import monitoring_enter, monitoring_leave, monitoring_sync
from doudi.verification.schemas import KINDS

from ..conftest import member
from ..payments.conftest import enrol, finance  # noqa: F401

TODAY = timezone.localdate()
AS_OF = TODAY - dt.timedelta(days=1)
RECENT = (TODAY - dt.timedelta(days=40)).isoformat()
LONG_AGO = (TODAY - dt.timedelta(days=900)).isoformat()


def _load(centre, kind, rows):
    spec = KINDS[kind]
    body = [[p.name, p.id_number] + [values.get(e.code, "") for e in spec.elements[2:]] for p, values in rows]
    return dataset_load(
        actor=centre["centre"],
        kind=kind,
        as_of=AS_OF,
        filename=f"{kind}.csv",
        content=file_bytes(_headers(spec), body, "csv"),
    )


def _family(register, staff, seq, wage="500.00", members=2, area="511425101201"):
    """A rural household of ``members`` (head born 1975) whose head earns ``wage`` a month."""
    people = [member(f"户主{seq}", "1975-03-02", seq, "head"), member(f"配偶{seq}", "1977-05-05", seq + 1, "spouse")]
    h = register(area=area, members=people[:members])
    head = h.memberships.get(relation="head").person
    if wage:
        record_add(
            actor=staff["caseworker_a"] if area.startswith("511425101") else staff["caseworker_b"],
            household=h,
            kind="incomes",
            data={"person": head.pk, "kind": "wage", "monthly": wage},
        )
    return h


def _person(h, relation):
    return h.memberships.get(relation=relation).person


def _disability(grade=1, issued=RECENT):
    return {"card": "51142519770505001211", "disability_kind": "肢体", "grade": str(grade), "issued_on": issued}


def test_a_new_grade_one_disability_in_a_poor_family_is_found_and_given_to_the_cadre(centre, register, staff, enrol):
    poor = _family(register, staff, 11)  # 500 a month for two: 250 per head, below the edge line 1.5 × 230
    rich = _family(register, staff, 21, wage="5000.00")
    old_card = _family(register, staff, 31)
    grade3 = _family(register, staff, 41)
    enrolled = enrol()
    rows = [
        (_person(poor, "spouse"), _disability()),
        (_person(rich, "spouse"), _disability()),
        (_person(old_card, "spouse"), _disability(issued=LONG_AGO)),
        (_person(grade3, "spouse"), _disability(grade=3)),
        (_person(enrolled.household, "head"), _disability()),
    ]
    load = _load(centre, "disability", rows)
    found = list(Discovery.objects.all())
    assert [(d.household_id, d.rule) for d in found] == [(poor.pk, DiscoveryRule.DISABILITY)]
    d = found[0]
    assert d.assigned_to == staff["cadre_a"]
    assert d.state == DiscoveryState.OPEN and d.visit_due > TODAY
    assert "1级" in d.reason and "250.00" in d.reason and "345.00" in d.reason
    assert AuditEvent.objects.filter(action="verification.discoveries", new__discoveries=1).exists()
    # the same news in the next load lists nobody twice
    _load(centre, "disability", rows)
    assert Discovery.objects.count() == 1
    assert load.discoveries.count() == 1


def test_an_elderly_person_alone_with_no_income_is_found_unless_a_pension_is_on_record(centre, register, staff):
    alone = register(members=[member("王老汉", "1950-02-02", 51, "head")])
    pensioner = register(members=[member("李老太", "1948-08-08", 52, "head")])
    with_son = register(members=[member("赵老汉", "1949-09-09", 53, "head"), member("赵子", "1980-01-01", 54, "child")])
    young = register(members=[member("钱青年", "1995-01-01", 55, "head")])
    _load(
        centre,
        "pension",
        [(_person(pensioner, "head"), {"scheme": "城乡居民养老保险", "monthly_pension": "150.00"})],
    )
    normal = {"status": "正常", "address_code": "511425101201"}
    _load(centre, "hukou", [(_person(h, "head"), normal) for h in (alone, pensioner, with_son, young)])
    found = list(Discovery.objects.values_list("household_id", "rule"))
    assert found == [(alone.pk, DiscoveryRule.ELDERLY_ALONE)]
    assert "户内仅本人" in Discovery.objects.get().reason


def test_large_out_of_pocket_medical_costs_are_found_when_they_bring_income_below_the_edge(centre, register, staff):
    strained = _family(register, staff, 61, wage="1200.00")  # 600 a head; 24,000 out of pocket → 600 − 1000 < 345
    comfortable = _family(register, staff, 71, wage="9000.00")
    small_bill = _family(register, staff, 81, wage="800.00")  # below the 10,000 floor
    cost = {"year": str(AS_OF.year), "total_cost": "60000.00", "out_of_pocket": "24000.00"}
    _load(
        centre,
        "medical",
        [
            (_person(strained, "spouse"), cost),
            (_person(comfortable, "spouse"), cost),
            (_person(small_bill, "spouse"), {**cost, "out_of_pocket": "3000.00"}),
        ],
    )
    assert list(Discovery.objects.values_list("household_id", "rule")) == [(strained.pk, DiscoveryRule.MEDICAL)]
    assert "24000" in Discovery.objects.get().reason


def test_a_main_earner_newly_unemployed_is_found_but_not_another_member(centre, register, staff):
    family = _family(register, staff, 91, wage="2600.00")  # 1,300 a head while the head worked
    other = _family(register, staff, 95, wage="2600.00")
    benefit = {"monthly_benefit": "1200.00", "start_date": RECENT}
    _load(centre, "unemployment", [(_person(family, "head"), benefit), (_person(other, "spouse"), benefit)])
    d = Discovery.objects.get()
    assert (d.household_id, d.rule, d.person) == (family.pk, DiscoveryRule.UNEMPLOYED, _person(family, "head"))
    assert "主要劳动力" in d.reason and "2600.00" in d.reason


def _found(centre, register, staff, seq=11):
    h = _family(register, staff, seq)
    _load(centre, "disability", [(_person(h, "spouse"), _disability())])
    return h, Discovery.objects.get(household=h)


def test_the_visit_is_recorded_with_its_outcome_and_an_application_it_led_to(centre, register, staff):
    h, d = _found(centre, register, staff)
    cadre = staff["cadre_a"]
    with pytest.raises(ApplicationError) as e:
        discovery_visit(actor=cadre, discovery_id=d.pk, outcome="refused", note="")
    assert e.value.field == "note"
    with pytest.raises(ApplicationError) as e:
        discovery_visit(actor=cadre, discovery_id=d.pk, outcome="applied")
    assert e.value.field == "application"
    other, _ = _found(centre, register, staff, seq=211)
    head = _person(other, "head")
    foreign = application_submit(
        actor=staff["caseworker_a"], household=other, applicant=head, programmes=["dibao"], materials=[], on=TODAY
    )
    with pytest.raises(ApplicationError):  # another household's application is not this visit's
        discovery_visit(actor=cadre, discovery_id=d.pk, outcome="applied", application_id=foreign.pk)
    with pytest.raises(NotFound):  # township B's caseworker does not see township A's list
        discovery_visit(actor=staff["caseworker_b"], discovery_id=d.pk, outcome="moved", note="已外出")
    app = application_submit(
        actor=cadre, household=h, applicant=_person(h, "head"), programmes=["dibao"], materials=[], on=TODAY
    )
    d = discovery_visit(actor=cadre, discovery_id=d.pk, outcome="applied", application_id=app.pk)
    assert (d.state, d.application, d.recorded_by, d.visited_on) == ("applied", app, cadre, TODAY)
    assert AuditEvent.objects.filter(action="verification.discovery_visit", household_id=h.pk).exists()
    with pytest.raises(ApplicationError):  # recorded once
        discovery_visit(actor=cadre, discovery_id=d.pk, outcome="refused", note="改变主意")
    # a later load may list the household again: the first discovery is closed
    _load(centre, "disability", [(_person(h, "spouse"), _disability())])
    assert Discovery.objects.filter(household=h).count() == 2


def test_the_register_follows_the_enrolments_and_keeps_the_township_tiers(centre, register, staff, enrol):
    cw = staff["caseworker_a"]
    e = enrol()
    assert monitoring_sync(actor=cw) == {"entered": 1, "left": 0}
    entry = MonitoringEntry.objects.get(household=e.household)
    assert (entry.tier, entry.left_on, entry.enrolment) == (Tier.DIBAO, None, e)
    assert monitoring_sync(actor=cw) == {"entered": 0, "left": 0}  # a rerun changes nothing
    e.status, e.end_month = "terminated", dt.date(2026, 3, 1)
    e.save()
    # the dibao exit leaves the tier; the household, still under the edge line, enters the edge tier
    assert monitoring_sync(actor=cw) == {"entered": 1, "left": 1}
    entry.refresh_from_db()
    assert entry.left_on == dt.date(2026, 3, 1) and "终止保障" in entry.leave_reason
    edge_after = MonitoringEntry.objects.get(household=e.household, left_on__isnull=True)
    assert edge_after.tier == Tier.EDGE and "退出低保/特困后" in edge_after.entry_reason
    assert monitoring_sync(actor=cw) == {"entered": 0, "left": 0}  # a rerun changes nothing

    h, d = _found(centre, register, staff)
    with pytest.raises(ApplicationError) as err:
        monitoring_enter(actor=cw, household_id=h.pk, tier=Tier.DIBAO, reason="手工")
    assert err.value.field == "tier"
    with pytest.raises(ApplicationError) as err:
        monitoring_enter(actor=cw, household_id=h.pk, tier=Tier.EDGE, reason=" ")
    assert err.value.field == "reason"
    edge = monitoring_enter(
        actor=staff["cadre_a"],
        household_id=h.pk,
        tier=Tier.EDGE,
        reason="走访核实：人均收入低于边缘线",
        discovery_id=d.pk,
    )
    with pytest.raises(ApplicationError):  # once while open
        monitoring_enter(actor=cw, household_id=h.pk, tier=Tier.EDGE, reason="重复")
    with pytest.raises(NotFound):
        monitoring_leave(actor=staff["caseworker_b"], entry_id=edge.pk, reason="越权")
    left = monitoring_leave(actor=cw, entry_id=edge.pk, reason="家庭成员就业，收入稳定")
    assert left.left_on == TODAY and left.leave_reason == "家庭成员就业，收入稳定"
    assert AuditEvent.objects.filter(action="verification.monitoring_leave", household_id=h.pk).exists()


def test_a_system_run_of_the_register_covers_the_area_it_is_given(enrol):
    a, b = enrol(), enrol(area="511425102201")
    with pytest.raises(ApplicationError):
        monitoring_sync(actor=None)  # neither an account nor an area
    assert monitoring_sync(actor=None, area_prefix="511425101") == {"entered": 1, "left": 0}
    assert list(MonitoringEntry.objects.values_list("household_id", flat=True)) == [a.household_id]
    assert monitoring_sync(actor=None, area_prefix="511425") == {"entered": 1, "left": 0}
    assert MonitoringEntry.objects.get(household=b.household).entered_by is None
