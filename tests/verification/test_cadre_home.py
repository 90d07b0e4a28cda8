"""Item 6: each alert and discovery is shown on the village cadre's home page — the day's work of the person who
visits the families — for the households of the cadre's own village only. The cadre does not handle alerts (the
township does) and does not see the departments' figures: the rule, the family and the source, to bear in mind at
the next visit; the household's page says the same. Another village's (and another township's) alerts and
discoveries never appear."""

import datetime as dt

from django.utils import timezone

from doudi.verification.models import Alert, Discovery, Tier
from doudi.verification.monitoring import monitoring_enter

from ..conftest import member
from ..payments.conftest import enrol, finance  # noqa: F401
from .test_alerts import _head
from .test_alerts import _load as _load_one
from .test_discovery import _disability, _family, _found, _person
from .test_discovery import _load as _load_many
from .test_visits import cadres  # noqa: F401

TODAY = timezone.localdate()
DAY = (TODAY - dt.timedelta(days=20)).isoformat()


def _home(client, user):
    client.force_login(user)
    r = client.get("/")
    assert r.status_code == 200
    return r.content.decode()


def _vehicle(centre, person, plate):
    _load_one(centre, "vehicle", person, plate=plate, vehicle_type="小型汽车", registered_on=DAY)


def test_the_cadre_sees_the_open_alerts_and_visits_of_their_own_village_only(
    client, centre, staff, register, enrol, cadres
):
    mine = enrol()  # 东风村, cadre_a's village
    west = enrol(area="511425101202")  # 西山村, the next village of the same township
    far = enrol(area="511425102201")  # 南河村, township B
    for i, e in enumerate((mine, west, far)):
        _vehicle(centre, _head(e), f"川Z0000{i}")
    edge = register(
        members=[member("边老大", "1950-01-01", 700, "head"), member("边老二", "1952-01-01", 701, "spouse")]
    )
    monitoring_enter(actor=staff["caseworker_a"], household_id=edge.pk, tier=Tier.EDGE, reason="走访核实")
    _load_one(centre, "death", edge.memberships.get(relation="spouse").person, death_date=DAY)
    alerts = {a.household_id: a for a in Alert.objects.all()}
    assert len(alerts) == 4
    _h, found = _found(centre, register, staff)
    west_family = _family(register, staff, 311, area="511425101202")
    _load_many(centre, "disability", [(_person(west_family, "spouse"), _disability())])
    found_west = Discovery.objects.get(household=west_family)
    assert (found.assigned_to, found_west.assigned_to) == (staff["cadre_a"], cadres["west"])

    body = _home(client, staff["cadre_a"])
    assert "乡镇正在核实的本村（社区）预警" in body
    for a in (alerts[mine.household_id], alerts[edge.pk]):
        assert f'data-item="alert-{a.pk}"' in body
    for a in (alerts[west.household_id], alerts[far.household_id]):
        assert f'data-item="alert-{a.pk}"' not in body and a.person.name not in body
    assert "监测户成员死亡" in body and "有机动车" in body
    assert "申报无车辆" not in body  # the departments' figures stay with the township
    assert f'data-item="discovery-{found.pk}"' in body and f'data-item="discovery-{found_west.pk}"' not in body
    assert found_west.person.name not in body

    body = _home(client, cadres["west"])
    assert f'data-item="alert-{alerts[west.household_id].pk}"' in body
    assert f'data-item="discovery-{found_west.pk}"' in body
    for a in (alerts[mine.household_id], alerts[edge.pk], alerts[far.household_id]):
        assert f'data-item="alert-{a.pk}"' not in body
    assert f'data-item="discovery-{found.pk}"' not in body

    body = _home(client, cadres["b"])  # township B's cadre of 南河村: only its own
    assert f'data-item="alert-{alerts[far.household_id].pk}"' in body
    assert sum(f'data-item="alert-{a.pk}"' in body for a in alerts.values()) == 1

    # the township still handles them, with the figures
    body = _home(client, staff["caseworker_a"])
    assert "待处理的核对预警" in body and "申报无车辆" in body
    assert f'data-item="alert-{alerts[west.household_id].pk}"' in body
    assert f'data-item="alert-{alerts[far.household_id].pk}"' not in body


def test_the_household_page_shows_the_cadre_the_open_alert_without_the_figures(client, centre, staff, enrol, cadres):
    mine, west = enrol(), enrol(area="511425101202")
    _vehicle(centre, _head(mine), "川Z11111")
    _vehicle(centre, _head(west), "川Z22222")
    alert = Alert.objects.get(household=mine.household)
    client.force_login(staff["cadre_a"])
    body = client.get(f"/households/{mine.household_id}/").content.decode()
    assert f'data-alert="{alert.pk}"' in body and "乡镇正在核实" in body and "申报无车辆" not in body
    assert "<th>预警内容</th>" not in body  # no column the cadre cannot read; the state says the township checks
    assert client.get(f"/households/{west.household_id}/").status_code == 404
    # once the township resolved it, it is no longer the cadre's to bear in mind
    from doudi.verification.alerts import alerts_resolve

    alerts_resolve(actor=staff["caseworker_a"], alert_ids=[alert.pk], reason="农用车")
    body = client.get(f"/households/{mine.household_id}/").content.decode()
    assert f'data-alert="{alert.pk}"' not in body
    assert f'data-item="alert-{alert.pk}"' not in _home(client, staff["cadre_a"])


def test_the_cadre_reads_the_same_alerts_through_the_api_without_the_figures(client, centre, staff, enrol, cadres):
    mine, west = enrol(), enrol(area="511425101202")
    far = enrol(area="511425102201")
    for i, e in enumerate((mine, west, far)):
        _vehicle(centre, _head(e), f"川Z3333{i}")
    alert = Alert.objects.get(household=mine.household)
    client.force_login(staff["cadre_a"])
    r = client.get("/api/v1/verification/village-alerts")
    assert r.status_code == 200, r.content
    rows = r.json()
    assert [row["id"] for row in rows] == [alert.pk]  # their village's only: not 西山村's, not township B's
    row = rows[0]
    assert row["rule"] == "vehicle" and row["rule_label"] == "有机动车" and row["household_id"] == mine.household_id
    assert row["person"] == _head(mine).name and row["as_of"] == alert.load.as_of.isoformat()
    assert row["source"] == alert.load.kind_label and row["held"] is False
    assert "detail" not in row and "申报无车辆" not in r.content.decode()  # the departments' figures stay with them
    # the full queue stays the township's
    assert client.get("/api/v1/verification/alerts").status_code == 403
    client.force_login(cadres["west"])
    assert [row["id"] for row in client.get("/api/v1/verification/village-alerts").json()] == [
        Alert.objects.get(household=west.household).pk
    ]
    # an account with no visits to make (the auditor) is refused; once resolved, the cadre no longer reads it
    client.force_login(staff["auditor"])
    assert client.get("/api/v1/verification/village-alerts").status_code == 403
    from doudi.verification.alerts import alerts_resolve

    alerts_resolve(actor=staff["caseworker_a"], alert_ids=[alert.pk], reason="农用车")
    client.force_login(staff["cadre_a"])
    assert client.get("/api/v1/verification/village-alerts").json() == []


def test_the_register_entry_page_lists_its_alerts(client, centre, staff, register, cadres):
    edge = register(
        members=[member("边老大", "1950-01-01", 700, "head"), member("边老二", "1952-01-01", 701, "spouse")]
    )
    entry = monitoring_enter(actor=staff["caseworker_a"], household_id=edge.pk, tier=Tier.EDGE, reason="走访核实")
    _load_one(centre, "death", edge.memberships.get(relation="spouse").person, death_date=DAY)
    alert = Alert.objects.get(entry=entry)
    client.force_login(staff["caseworker_a"])
    body = client.get(f"/verification/monitoring/{entry.pk}/").content.decode()
    assert f'data-alert="{alert.pk}"' in body and "监测户成员死亡" in body and "边老二" in body
    assert "<th>预警内容</th>" in body  # the township reads what the department's record says
    client.force_login(staff["cadre_a"])
    body = client.get(f"/verification/monitoring/{entry.pk}/").content.decode()
    assert f'data-alert="{alert.pk}"' in body and "乡镇正在核实" in body and "<th>预警内容</th>" not in body
    client.force_login(cadres["b"])  # another township's cadre: not theirs to see
    assert client.get(f"/verification/monitoring/{entry.pk}/").status_code == 404
