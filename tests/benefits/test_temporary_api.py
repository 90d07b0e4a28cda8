"""Temporary assistance and the 12349 hotline through /api/v1 (issue 15): a call turned into an application, paid
first, its paperwork completed; approval by level; refusals named by field; scope across townships; and the
children's allowance granted through the API."""

import datetime as dt

import pytest
from django.utils import timezone

from doudi.accounts.actions import token_create
from doudi.benefits.models import HotlineCall, TemporaryAssistance
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.pack import DEMO_PACK
from doudi.registry.models import Person

from ..conftest import make_id, township_reviewer


@pytest.fixture
def world(staff, register, client):
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    tr = township_reviewer()
    h = register()

    def as_(user):
        _t, key = token_create(actor=user, name="t")

        def call(method, path, body=None):
            kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
            if body is not None:
                kwargs.update(data=body, content_type="application/json")
            return getattr(client, method)(f"/api/v1{path}", **kwargs)

        return call

    return {
        "cw": as_(staff["caseworker_a"]),
        "tr": as_(tr),
        "approver": as_(staff["approver"]),
        "other": as_(staff["caseworker_b"]),
        "household": h,
        "head": Person.objects.get(name="张大山"),
    }


def _body(w, **over):
    return {
        "household_id": w["household"].pk,
        "applicant_id": w["head"].pk,
        "kind": "emergency",
        "cause": "房屋失火",
        "hardship_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "loss": "400.00",
        **over,
    }


def test_call_to_application_paid_first_and_documented(world):
    w = world
    r = w["cw"](
        "post",
        "/hotline-calls",
        {
            "caller_name": "张大山",
            "caller_phone": "13800001111",
            "area_code": "511425101201",
            "need": "昨夜房屋失火，口粮被褥烧毁",
            "outcome": "application",
        },
    )
    assert r.status_code == 201, r.content
    call = r.json()
    assert call["caller_phone"] == "138****1111" and call["assistance_id"] is None
    r = w["cw"]("post", "/temporary", _body(w, call_id=call["id"]))
    assert r.status_code == 201, r.content
    ta = r.json()
    assert (ta["amount"], ta["approval_level"], ta["fast_track"], ta["state"]) == (
        "400.00",
        "township",
        True,
        "awaiting",
    )
    assert ta["explanation"] and all(isinstance(x, str) for x in ta["explanation"])
    assert w["cw"]("get", "/hotline-calls").json()[0]["assistance_id"] == ta["id"]

    refused = w["cw"]("post", f"/temporary/{ta['id']}/pay-first", {})
    assert refused.status_code == 403  # the township's reviewer pays first
    paid = w["tr"]("post", f"/temporary/{ta['id']}/pay-first", {})
    assert paid.status_code == 200, paid.content
    assert paid.json()["state"] == "paid_first" and paid.json()["paperwork_due"] and paid.json()["enrolment_id"]
    blank = w["cw"]("post", f"/temporary/{ta['id']}/paperwork", {"record": "  "})
    assert blank.status_code == 400 and blank.json()["field"] == "record"
    done = w["cw"]("post", f"/temporary/{ta['id']}/paperwork", {"record": "入户核实火灾损失，救助400元，户主签字"})
    assert done.status_code == 200 and done.json()["state"] == "documented"
    assert [t["id"] for t in w["cw"]("get", "/temporary?state=documented").json()] == [ta["id"]]


def test_approval_by_level_refusal_and_once_a_year(world):
    w = world
    big = w["cw"]("post", "/temporary", _body(w, loss="2300.00")).json()
    assert (big["approval_level"], big["fast_track"]) == ("county", False)
    assert w["tr"]("post", f"/temporary/{big['id']}/approve", {}).status_code == 403
    ok = w["approver"]("post", f"/temporary/{big['id']}/approve", {})
    assert ok.status_code == 200 and ok.json()["state"] == "approved"
    again = w["cw"]("post", "/temporary", _body(w, loss="300.00"))
    assert again.status_code == 400 and again.json()["code"] == "not_eligible"  # the same cause this year
    flood = w["cw"]("post", "/temporary", _body(w, cause="洪水冲毁房屋", loss="300.00")).json()
    no_reason = w["tr"]("post", f"/temporary/{flood['id']}/refuse", {"reason": ""})
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    refused = w["tr"]("post", f"/temporary/{flood['id']}/refuse", {"reason": "经核实损失已由保险全额赔付"})
    assert refused.json()["state"] == "refused" and refused.json()["refusal_reason"] == "经核实损失已由保险全额赔付"


def test_bad_input_is_named_and_nothing_saved(world):
    w = world
    for over, field in (
        ({"loss": "四百"}, "loss"),
        ({"kind": "flood"}, "kind"),
        ({"hardship_date": "2026-02-30"}, "hardship_date"),
        ({"applicant_id": 999_999}, "applicant_id"),
    ):
        r = w["cw"]("post", "/temporary", _body(w, **over))
        assert r.status_code in (400, 422), (over, r.content)
        assert field in r.content.decode(), (over, r.content)
    bad_call = w["cw"](
        "post",
        "/hotline-calls",
        {"caller_name": "张大山", "area_code": "511425101201", "need": "求助", "outcome": "referral"},
    )
    assert bad_call.status_code == 400 and bad_call.json()["field"] == "department"
    assert not TemporaryAssistance.objects.exists() and not HotlineCall.objects.exists()


def test_another_township_sees_and_touches_nothing(world):
    w = world
    ta = w["cw"]("post", "/temporary", _body(w)).json()
    assert w["other"]("get", "/temporary").json() == []
    assert w["other"]("get", f"/temporary/{ta['id']}").status_code == 404
    assert w["other"]("post", f"/temporary/{ta['id']}/paperwork", {"record": "x"}).status_code == 404
    assert w["other"]("post", "/temporary", _body(w)).status_code == 404
    call = w["other"](
        "post",
        "/hotline-calls",
        {"caller_name": "某人", "area_code": "511425101201", "need": "求助", "outcome": "advice"},
    )
    assert call.status_code == 404  # a village of another township


def test_applied_for_where_the_hardship_happened(world):
    """Township B's caseworker files 张大山's (township A) accident in B's 南河村 by his whole ID number: B handles
    it; A's caseworker does not see it; a bad place or an unknown number is refused naming the field."""
    w = world
    away = {k: v for k, v in _body(w, cause="交通事故").items() if k not in ("household_id", "applicant_id")}
    number = make_id("1975-03-02", 11)
    r = w["other"]("post", "/temporary", {**away, "applicant_id_number": number, "hardship_area": "511425102201"})
    assert r.status_code == 201, r.json()
    ta = r.json()
    assert (ta["area_code"], ta["hardship_area_code"], ta["household_id"]) == (
        "511425102000",
        "511425102201",
        w["household"].pk,
    )
    assert w["cw"]("get", f"/temporary/{ta['id']}").status_code == 404
    assert [t["id"] for t in w["other"]("get", "/temporary").json()] == [ta["id"]]
    r = w["other"]("post", "/temporary", {**away, "applicant_id_number": make_id("1990-01-01", 99)})
    assert r.status_code == 404 and r.json()["field"] == "id_number"
    r = w["other"]("post", "/temporary", {**away, "applicant_id_number": number, "hardship_area": "510100000000"})
    assert r.status_code == 400 and r.json()["field"] == "hardship_area"
    r = w["other"]("post", "/temporary", away)  # neither the household nor the ID number
    assert r.status_code == 400 and r.json()["field"] == "household_id"
    r = w["cw"]("post", "/temporary", _body(w, cause="溺水", hardship_area="511425102201"))  # A files for B: no
    assert r.status_code == 404
    assert TemporaryAssistance.objects.count() == 1


def test_childrens_allowance_granted_through_the_api(world, register):
    from doudi.benefits import children

    from ..conftest import member

    w = world
    register(members=[member("王奶奶", "1955-02-03", 31, "head"), member("王小宝", "2015-05-20", 42, "grandchild")])
    child = Person.objects.get(name="王小宝")
    path = f"/people/{child.pk}/children-allowance"
    refused = w["approver"]("post", path, {})
    assert refused.status_code == 400 and refused.json()["code"] == "not_eligible"  # nothing recorded yet
    for parent, status, since in (("father", "dead", "2019-04-01"), ("mother", "in_prison", "2024-01-10")):
        r = w["cw"](
            "post",
            f"/people/{child.pk}/parent-situations",
            {"parent": parent, "status": status, "since": since, "evidence": "证明 001"},
        )
        assert r.status_code == 200, r.content
    assert w["cw"]("post", path, {}).status_code == 403  # the county decides
    assert w["other"]("get", f"/people/{child.pk}/parent-situations").status_code == 404
    r = w["approver"]("post", path, {"in_institution": False, "note": "祖母抚养"})
    assert r.status_code == 201, r.content
    _d, line = children.child_decision(child, timezone.localdate())
    got = r.json()
    assert got["monthly_amount"] == f"{line.amount:.2f}" and got["support_mode"] == "scattered"
    assert got["programme"] == "children" and got["next_review_due"]
    assert w["approver"]("post", path, {}).status_code == 409  # already paid
