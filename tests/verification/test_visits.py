"""Step 3 of issue 13's follow-up: a discovery's or a register entry's home visit is given by the township to one
of its own village cadres, and may be given to another, with the history; the cadre's home page shows the visits
due; nobody outside the township gives, receives or sees them."""

import datetime as dt

import pytest
from django.utils import timezone

from doudi.accounts.actions import staff_create
from doudi.audit.models import AuditEvent
from doudi.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from doudi.verification.models import Tier, VisitAssignment
from doudi.verification.monitoring import monitoring_enter
from doudi.verification.visits import monitoring_visit, visit_assign

from ..conftest import PASSWORD
from .test_discovery import _found

TODAY = timezone.localdate()


def _cadre(username, area):
    return staff_create(
        actor=None, username=username, password=PASSWORD, role="village_cadre", area_code=area, check_password=False
    )


@pytest.fixture
def cadres(areas):
    """A second cadre of the household's village (township A), one of another village of A, one of township B."""
    from doudi.areas.models import Area

    Area.objects.create(code="511425101202", name="西山村", level="village", kind="rural", parent_id="511425101000")
    return {
        "a2": _cadre("cadre_a2", "511425101201"),
        "west": _cadre("cadre_west", "511425101202"),
        "b": _cadre("cadre_b", "511425102201"),
    }


def test_the_township_gives_a_discovery_visit_to_another_of_its_cadres_with_history(
    centre, register, staff, cadres, client_for
):
    h, d = _found(centre, register, staff)
    cw = staff["caseworker_a"]
    assert d.assigned_to == staff["cadre_a"]
    a = visit_assign(actor=cw, discovery_id=d.pk, cadre_id=cadres["a2"].pk, reason="原走访人外出培训")
    d.refresh_from_db()
    assert d.assigned_to == cadres["a2"] and (a.from_cadre, a.to_cadre, a.assigned_by) == (
        staff["cadre_a"],
        cadres["a2"],
        cw,
    )
    assert a.visit_due == d.visit_due  # the deadline stays
    assert AuditEvent.objects.filter(action="verification.visit_assign", household_id=h.pk).count() == 1
    with pytest.raises(ApplicationError) as e:  # a cadre of another township
        visit_assign(actor=cw, discovery_id=d.pk, cadre_id=cadres["b"].pk, reason="越界")
    assert e.value.field == "cadre" and "本乡镇" in e.value.message
    with pytest.raises(ApplicationError) as e:  # a cadre of the township who may not open this village's files
        visit_assign(actor=cw, discovery_id=d.pk, cadre_id=cadres["west"].pk, reason="另一个村")
    assert e.value.field == "cadre"
    with pytest.raises(ApplicationError) as e:  # not a cadre at all
        visit_assign(actor=cw, discovery_id=d.pk, cadre_id=staff["caseworker_a"].pk, reason="不是村干部")
    assert e.value.field == "cadre"
    with pytest.raises(Conflict):
        visit_assign(actor=cw, discovery_id=d.pk, cadre_id=cadres["a2"].pk, reason="重复")
    with pytest.raises(ApplicationError) as e:
        visit_assign(actor=cw, discovery_id=d.pk, cadre_id=staff["cadre_a"].pk, reason=" ")
    assert e.value.field == "reason"
    with pytest.raises(NotFound):  # township B's caseworker: not its discovery
        visit_assign(actor=staff["caseworker_b"], discovery_id=d.pk, cadre_id=cadres["b"].pk, reason="越权")
    with pytest.raises(PermissionDenied):  # a cadre does not hand visits out
        visit_assign(actor=staff["cadre_a"], discovery_id=d.pk, cadre_id=staff["cadre_a"].pk, reason="自己要")
    assert VisitAssignment.objects.count() == 1
    # the cadres' home pages follow the assignment; the page shows the history, the form only to the township
    assert f"/verification/discovery/{d.pk}/" in client_for(cadres["a2"]).get("/").content.decode()
    assert f"/verification/discovery/{d.pk}/" not in client_for(staff["cadre_a"]).get("/").content.decode()
    page = client_for(cw).get(f"/verification/discovery/{d.pk}/").content.decode()
    assert "走访指派记录" in page and "原走访人外出培训" in page and 'name="cadre"' in page
    assert "cadre_b" not in page and "cadre_west" not in page  # only cadres who may visit are offered
    r = client_for(cw).post(
        f"/verification/discovery/{d.pk}/", {"do": "assign", "cadre": staff["cadre_a"].pk, "reason": "培训结束"}
    )
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.assigned_to == staff["cadre_a"] and VisitAssignment.objects.count() == 2


def test_a_register_visit_is_given_shown_on_the_cadre_home_page_and_recorded(
    centre, register, staff, cadres, client_for
):
    h, _d = _found(centre, register, staff)
    cw = staff["caseworker_a"]
    entry = monitoring_enter(actor=cw, household_id=h.pk, tier=Tier.RIGID, reason="重病，医疗支出大")
    due = TODAY + dt.timedelta(days=7)
    r = client_for(cw).post(
        f"/verification/monitoring/{entry.pk}/",
        {"do": "assign", "cadre": staff["cadre_a"].pk, "reason": "季度走访", "visit_due": due.isoformat()},
    )
    assert r.status_code == 302
    entry.refresh_from_db()
    assert (entry.assigned_to, entry.visit_due) == (staff["cadre_a"], due)
    home = client_for(staff["cadre_a"]).get("/").content.decode()
    assert "待走访的低收入人口监测户" in home and f"/verification/monitoring/{entry.pk}/" in home
    assert "待走访的低收入人口监测户" not in client_for(cadres["a2"]).get("/").content.decode()  # not theirs
    assert client_for(staff["caseworker_b"]).get(f"/verification/monitoring/{entry.pk}/").status_code == 404
    with pytest.raises(ApplicationError) as e:  # another cadre of the township does not record it
        monitoring_visit(actor=cadres["a2"], entry_id=entry.pk, note="路过")
    assert e.value.field == "entry"
    with pytest.raises(NotFound):
        monitoring_visit(actor=cadres["b"], entry_id=entry.pk, note="越权")
    client_for(staff["cadre_a"]).post(f"/verification/monitoring/{entry.pk}/", {"do": "visit", "note": "病情稳定"})
    entry.refresh_from_db()
    assert (entry.visited_on, entry.visit_note, entry.visit_due) == (TODAY, "病情稳定", None)
    assert "待走访的低收入人口监测户" not in client_for(staff["cadre_a"]).get("/").content.decode()
    # the API gives it again, to a cadre of the township only
    api = client_for(cw)
    ok = api.post(
        f"/api/v1/verification/monitoring/{entry.pk}/assign",
        {"cadre_id": cadres["a2"].pk, "reason": "换人"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["from_cadre"] == str(staff["cadre_a"])
    refused = api.post(
        f"/api/v1/verification/monitoring/{entry.pk}/assign",
        {"cadre_id": cadres["b"].pk, "reason": "越界"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    page = client_for(cw).get(f"/verification/monitoring/{entry.pk}/").content.decode()
    assert "季度走访" in page and "换人" in page
