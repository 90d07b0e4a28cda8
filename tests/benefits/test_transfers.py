"""A household moving to another township of the county: the township it leaves asks, the township it moves to
accepts (the household, its programmes still paying and its open cases move there, amounts unchanged) or sends
it back with a reason; the township it leaves may withdraw a request not yet answered. Only township
caseworkers act; a third township sees nothing of it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from doudi.accounts.actions import staff_create
from doudi.areas.models import Area
from doudi.audit.models import AuditEvent
from doudi.benefits.models import Transfer, TransferState
from doudi.benefits.transfers import transfer_accept, transfer_refuse, transfer_request, transfer_withdraw
from doudi.cases.models import Case, Enrolment, EnrolmentStatus
from doudi.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.pack import DEMO_PACK

from ..conftest import PASSWORD
from ..medical.conftest import enrol

TO_VILLAGE = "511425102201"  # 南河村 of 瑞峰镇 (township B)
D = dt.date(2026, 11, 20)


@pytest.fixture
def moving(staff, register):
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    h = register()  # 张大山's household in 东风村 of 汉阳镇 (township A)
    e = enrol(h, "dibao", staff["approver"])
    ended = enrol(h, "elderly", staff["approver"], person=h.memberships.get(relation="head").person)
    Enrolment.objects.filter(pk=ended.pk).update(status=EnrolmentStatus.TERMINATED)
    open_case = Case.objects.create(
        programme_id="tekun",
        household=h,
        applicant=h.memberships.get(relation="head").person,
        area_code=h.area_id,
        state="accepted",
        created_by=staff["caseworker_a"],
    )
    Area.objects.create(code="511425103000", name="西龙镇", level="township", kind="rural", parent_id="511425000000")
    Area.objects.create(code="511425103201", name="新桥村", level="village", kind="rural", parent_id="511425103000")
    third = staff_create(
        actor=None,
        username="cw_c",
        password=PASSWORD,
        role="township_caseworker",
        area_code="511425103000",
        check_password=False,
    )
    return {"h": h, "e": e, "ended": ended, "case": open_case, "third": third, **staff}


def ask(w, **kw):
    args = {"household": w["h"], "to_area": TO_VILLAGE, "moved_on": D, "address": "南河村3组", "reason": "投靠女儿"}
    return transfer_request(actor=w["caseworker_a"], **(args | kw))


def test_accepted_the_household_and_what_it_receives_move(moving):
    w = moving
    t = ask(w)
    assert t.state == TransferState.PENDING and w["h"].area_id == "511425101201"  # nothing moves until accepted
    transfer_accept(actor=w["caseworker_b"], transfer=t, note="已核实")
    w["h"].refresh_from_db()
    assert (w["h"].area_id, w["h"].address) == (TO_VILLAGE, "南河村3组")
    e = Enrolment.objects.get(pk=w["e"].pk)
    assert (e.area_code, e.monthly_amount, e.status) == (TO_VILLAGE, Decimal("300.00"), EnrolmentStatus.ACTIVE)
    assert Enrolment.objects.get(pk=w["ended"].pk).area_code == "511425101201"  # an ended one stays as it was
    assert Case.objects.get(pk=w["case"].pk).area_code == TO_VILLAGE
    t.refresh_from_db()
    assert (t.state, t.decided_by, t.note) == (TransferState.ACCEPTED, w["caseworker_b"], "已核实")
    event = AuditEvent.objects.get(action="benefit.transfer_accept")
    assert event.area_code == TO_VILLAGE and event.new["moved_enrolments"] == [w["e"].pk]
    assert event.new["moved_cases"] == [w["case"].pk]


def test_the_pages_of_both_townships(moving, client_for):
    w = moving
    c = client_for(w["caseworker_a"])
    form = c.get(f"/households/{w['h'].pk}/transfer/").content.decode()
    assert "南河村" in form and "东风村" not in form.split('id="to_area"')[1].split("</select>")[0]  # not its own
    r = c.post(
        f"/households/{w['h'].pk}/transfer/",
        {"to_area": TO_VILLAGE, "moved_on": "2026-11-20", "address": "南河村3组", "reason": "投靠女儿"},
    )
    t = Transfer.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/transfers/{t.pk}/"
    b = Client()  # the other township's caseworker, at another desk
    b.force_login(w["caseworker_b"])
    home = b.get("/").content.decode()
    assert "待接收的迁入家庭" in home and f"/transfers/{t.pk}/" in home
    page = b.get(f"/transfers/{t.pk}/").content.decode()
    assert "张大山" in page and "接收该家庭" in page and "最低生活保障" in page
    assert b.get(f"/households/{w['h'].pk}/").status_code == 404  # the household itself is not B's yet
    r = b.post(f"/transfers/{t.pk}/accept/", {"note": ""})
    assert r.status_code == 302 and b.get(f"/households/{w['h'].pk}/").status_code == 200
    assert c.get(f"/households/{w['h'].pk}/").status_code == 404  # and no longer A's
    assert "已接收" in c.get(f"/transfers/{t.pk}/").content.decode()  # A still sees what became of it


def test_sent_back_with_a_reason_the_household_stays(moving):
    w = moving
    t = ask(w)
    with pytest.raises(ApplicationError) as e:
        transfer_refuse(actor=w["caseworker_b"], transfer=t, note=" ")
    assert e.value.field == "note"
    transfer_refuse(actor=w["caseworker_b"], transfer=t, note="新住址不在本镇")
    w["h"].refresh_from_db()
    assert w["h"].area_id == "511425101201" and Transfer.objects.get().state == TransferState.REFUSED
    ask(w)  # asked again once answered


def test_withdrawn_it_cannot_be_accepted(moving, client_for):
    w = moving
    t = ask(w)
    transfer_withdraw(actor=w["caseworker_a"], transfer=t)
    with pytest.raises(Conflict):
        transfer_accept(actor=w["caseworker_b"], transfer=t)
    r = client_for(w["caseworker_b"]).post(f"/transfers/{t.pk}/accept/", follow=True)
    assert "该迁移申请已撤回，不能再处理" in r.content.decode()


def test_bad_requests_are_named(moving):
    w = moving
    for to_area in ("511425101001", "511426101201", "511425102000", "", "x" * 13):
        with pytest.raises(ApplicationError) as e:  # own township, another county, a township, nothing, nonsense
            ask(w, to_area=to_area)
        assert e.value.field == "to_area"
    with pytest.raises(ApplicationError) as e:
        ask(w, moved_on=dt.date.today() + dt.timedelta(days=2))
    assert e.value.field == "moved_on"
    with pytest.raises(ApplicationError) as e:
        ask(w, reason="")
    assert e.value.field == "reason"
    ask(w)
    with pytest.raises(Conflict):
        ask(w)  # one move under way at a time
    assert Transfer.objects.count() == 1


def test_only_the_two_townships_caseworkers_act(moving, client_for):
    w = moving
    with pytest.raises(PermissionDenied):
        transfer_request(actor=w["cadre_a"], household=w["h"], to_area=TO_VILLAGE, moved_on=D, reason="x")
    t = ask(w)
    with pytest.raises(NotFound):
        transfer_accept(actor=w["caseworker_a"], transfer=t)  # the township it leaves cannot accept for the other
    with pytest.raises(NotFound):
        transfer_accept(actor=w["third"], transfer=t)
    with pytest.raises(NotFound):
        transfer_withdraw(actor=w["caseworker_b"], transfer=t)
    with pytest.raises(PermissionDenied):
        transfer_accept(actor=w["approver"], transfer=t)
    third = client_for(w["third"])
    assert third.get(f"/transfers/{t.pk}/").status_code == 404
    assert "张大山" not in third.get("/transfers/").content.decode()
    assert third.post(f"/transfers/{t.pk}/accept/").status_code == 404
    assert Transfer.objects.get().state == TransferState.PENDING


def test_the_api(moving, client):
    from doudi.accounts.actions import token_create

    w = moving
    _t, a = token_create(actor=w["caseworker_a"], name="t")
    _t, b = token_create(actor=w["caseworker_b"], name="t")
    _t, c = token_create(actor=w["third"], name="t")
    r = client.post(
        f"/api/v1/households/{w['h'].pk}/transfers",
        {"to_area": TO_VILLAGE, "moved_on": "2026-11-20", "reason": "投靠女儿"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {a}",
    )
    assert r.status_code == 201 and r.json()["state"] == "pending"
    tid = r.json()["id"]
    bad = client.post(
        f"/api/v1/households/{w['h'].pk}/transfers",
        {"to_area": "511425101001", "moved_on": "2026-11-20", "reason": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {a}",
    )
    assert bad.status_code in (400, 409) and bad.json()["field"] in ("to_area", "household")
    assert [t["id"] for t in client.get("/api/v1/transfers", HTTP_AUTHORIZATION=f"Bearer {b}").json()] == [tid]
    assert client.get("/api/v1/transfers", HTTP_AUTHORIZATION=f"Bearer {c}").json() == []
    assert (
        client.post(
            f"/api/v1/transfers/{tid}/accept", {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {c}"
        ).status_code
        == 404
    )
    r = client.post(
        f"/api/v1/transfers/{tid}/accept",
        {"note": "好"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {b}",
    )
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    w["h"].refresh_from_db()
    assert w["h"].area_id == TO_VILLAGE


def test_the_register_entry_moves_with_the_household(moving):
    from doudi.verification.models import MonitoringEntry
    from doudi.verification.monitoring import monitoring_enter

    w = moving
    entry = monitoring_enter(actor=w["caseworker_a"], household_id=w["h"].pk, tier="edge", reason="边缘家庭")
    MonitoringEntry.objects.filter(pk=entry.pk).update(assigned_to=w["cadre_a"])
    transfer_accept(actor=w["caseworker_b"], transfer=ask(w))
    entry.refresh_from_db()
    # the new township sees it, and gives its home visit to one of its own cadres
    assert (entry.area_code, entry.assigned_to, entry.left_on) == (TO_VILLAGE, None, None)
