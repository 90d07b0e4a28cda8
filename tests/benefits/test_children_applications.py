"""A child's application for the children's allowance (issue 15, children: its procedure as data, deadlines in
working days): the township receives it and investigates within 15 working days, submits it to the county only
when the rules on the recorded parents' situations qualify the child, the county decides within 15 working days of
the submission — approving pays from the next month through the application's own case, refusing needs a written
reason. Due dates are worked by hand on the official calendar of 2026 (chinese-calendar: Mid-Autumn 25–27
September, National Day 1–7 October, Saturday 10 October a make-up working day)."""

import datetime as dt
from decimal import Decimal

import pytest

from doudi.audit.models import AuditEvent
from doudi.benefits import children, children_applications
from doudi.benefits.children_applications import (
    applications_waiting,
    children_application_decide,
    children_application_record,
    children_application_submit,
)
from doudi.cases.actions import case_move
from doudi.cases.models import Case, CaseKind, CaseState, Enrolment
from doudi.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.pack import DEMO_PACK
from doudi.registry.models import Person

from ..conftest import member, township_reviewer

MONDAY = dt.date(2026, 9, 21)


@pytest.fixture
def setup(staff, register):
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    return {"approver": staff["approver"], "cw": staff["caseworker_a"], "cw_b": staff["caseworker_b"], "reg": register}


def grandchild(setup, name="王小宝", seq=42, birth="2015-05-20"):
    setup["reg"](
        members=[member(f"{name}奶奶", "1955-02-03", seq - 11, "head"), member(name, birth, seq, "grandchild")]
    )
    return Person.objects.get(name=name)


def orphan(setup, child, on=MONDAY):
    for parent in ("father", "mother"):
        children.parent_situation_record(
            actor=setup["cw"], child=child, parent=parent, status="dead", since="2020-01-01", evidence="死亡证明", on=on
        )


def received(setup, child, accepted_on=MONDAY, on=MONDAY, **kw):
    return children_application_record(
        actor=setup["cw"],
        child=child,
        accepted_on=accepted_on,
        applied_by="祖母 王某某",
        note="监护人申请",
        on=on,
        **kw,
    )


def test_received_on_a_monday_the_township_is_due_the_15th_working_day_across_the_holidays(setup):
    """Monday 21 September: 22, 23, 24 (Mid-Autumn 25–27 off), 28, 29, 30 (National Day 1–7 October off), 8, 9,
    Saturday 10 (make-up day), 12, 13, 14, 15, 16 and Monday 19 October is the 15th — counting weekends only would
    say 12 October. The whole procedure (30 working days) ends on 9 November."""
    child = grandchild(setup)
    case = received(setup, child)
    assert (case.kind, case.programme_id, case.state) == (CaseKind.NEW, "children", CaseState.ACCEPTED)
    assert (case.accepted_on, case.step_due, case.total_due) == (MONDAY, dt.date(2026, 10, 19), dt.date(2026, 11, 9))
    assert case.step_due_complete and case.applicant == child and case.area_code == "511425101201"
    event = AuditEvent.objects.get(action="benefit.children_application_record")
    assert event.area_code == "511425101201" and event.new["applied_by"] == "祖母 王某某"
    # late only after the due day
    (on_time,) = children_applications.application_rows(setup["cw"], today=dt.date(2026, 10, 19))
    (late,) = children_applications.application_rows(setup["cw"], today=dt.date(2026, 10, 20))
    assert (on_time.overdue, late.overdue, late.applied_by) == (False, True, "祖母 王某某")
    with pytest.raises(Conflict) as twice:
        received(setup, child)
    assert twice.value.field == "child" and "在办的申请" in twice.value.zh


def test_bad_input_is_named_by_field(setup):
    child = grandchild(setup)
    for kw, field in (
        ({"accepted_on": ""}, "accepted_on"),
        ({"accepted_on": MONDAY + dt.timedelta(days=1)}, "accepted_on"),  # after the day recorded
        ({"applied_by": "  "}, "applied_by"),
        ({"note": "长" * 201}, "note"),
    ):
        args = {"actor": setup["cw"], "child": child, "accepted_on": MONDAY, "applied_by": "祖母", "on": MONDAY, **kw}
        with pytest.raises(ApplicationError) as e:
            children_application_record(**args)
        assert e.value.field == field, kw
    assert not Case.objects.filter(programme_id="children").exists()  # nothing half-saved


def test_a_non_qualifying_child_cannot_be_submitted_and_is_told_why(setup):
    child = grandchild(setup)
    case = received(setup, child)
    with pytest.raises(ApplicationError) as e:
        children_application_submit(actor=setup["cw"], case=case, opinion="经调查属实", on=dt.date(2026, 10, 15))
    assert e.value.field == "child" and "尚未登记该儿童父母的情况" in e.value.zh
    children.parent_situation_record(  # the mother died; the father, nothing recorded, is able to support
        actor=setup["cw"], child=child, parent="mother", status="dead", since="2020-01-01", evidence="x", on=MONDAY
    )
    with pytest.raises(ApplicationError) as e:
        children_application_submit(actor=setup["cw"], case=case, opinion="经调查属实", on=dt.date(2026, 10, 15))
    assert "不属于孤儿或事实无人抚养儿童" in e.value.zh
    with pytest.raises(ApplicationError) as e:
        children_application_submit(actor=setup["cw"], case=case, opinion=" ", on=dt.date(2026, 10, 15))
    assert e.value.field == "opinion"
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED and case.township_opinion == ""


def test_submitted_then_approved_pays_from_the_next_month_on_the_application_s_own_case(setup):
    child = grandchild(setup)
    orphan(setup, child)
    case = received(setup, child)
    with pytest.raises(Conflict):  # the county decides only what the township submitted
        children_application_decide(actor=setup["approver"], case=case, outcome="approve", on=dt.date(2026, 10, 15))
    case = children_application_submit(
        actor=setup["cw"], case=case, opinion="经调查父母均已死亡", on=dt.date(2026, 10, 15)
    )
    # Thursday 15 October + 15 working days: 16, 19–23, 26–30, 2–5 November
    assert (case.state, case.step_due, case.township_opinion) == (
        CaseState.COUNTY_REVIEW,
        dt.date(2026, 11, 5),
        "经调查父母均已死亡",
    )
    assert applications_waiting(setup["approver"], dt.date(2026, 11, 5)) == {
        "state": "county_review",
        "count": 1,
        "overdue": 0,
    }
    assert applications_waiting(setup["approver"], dt.date(2026, 11, 6))["overdue"] == 1
    assert applications_waiting(setup["cw"], dt.date(2026, 11, 6)) is None  # nothing left at the township's step
    out = children_application_decide(actor=setup["approver"], case=case, outcome="approve", on=dt.date(2026, 11, 6))
    e = out.enrolment
    assert (e.start_month, e.monthly_amount, e.case_id, e.person_id) == (
        dt.date(2026, 12, 1),
        Decimal("600.00"),
        case.pk,
        child.pk,
    )
    case.refresh_from_db()
    assert (case.state, case.decided_on, case.decided_by, case.payment_start, case.step_due) == (
        CaseState.APPROVED,
        dt.date(2026, 11, 6),
        setup["approver"],
        dt.date(2026, 12, 1),
        None,
    )
    # one case for the application: the grant did not open a second one (the statistics count each once)
    assert Case.objects.filter(programme_id="children", applicant=child, kind=CaseKind.NEW).count() == 1
    assert AuditEvent.objects.filter(action="benefit.children_application_decide", target_id=str(case.pk)).exists()
    with pytest.raises(Conflict):
        children_application_decide(actor=setup["approver"], case=case, outcome="refuse", reason="x")


def test_refusal_needs_a_written_reason(setup):
    child = grandchild(setup)
    orphan(setup, child)
    case = children_application_submit(actor=setup["cw"], case=received(setup, child), opinion="属实", on=MONDAY)
    with pytest.raises(ApplicationError) as e:
        children_application_decide(actor=setup["approver"], case=case, outcome="refuse", reason="  ")
    assert e.value.field == "reason" and "不予批准理由" in e.value.zh
    case.refresh_from_db()
    assert case.state == CaseState.COUNTY_REVIEW
    out = children_application_decide(
        actor=setup["approver"], case=case, outcome="refuse", reason="祖父有抚养能力", on=dt.date(2026, 10, 8)
    )
    assert (out.case.state, out.case.refusal_reason, out.enrolment) == (CaseState.REFUSED, "祖父有抚养能力", None)
    assert not Enrolment.objects.filter(programme_id="children", person=child).exists()
    event = AuditEvent.objects.get(action="benefit.children_application_decide")
    assert event.new["reason"] == "祖父有抚养能力" and event.new["state"] == "refused"
    received(setup, child, accepted_on=dt.date(2026, 10, 9), on=dt.date(2026, 10, 9))  # may apply again


def test_another_township_s_caseworker_finds_nothing(setup, client):
    child = grandchild(setup)
    orphan(setup, child)
    case = received(setup, child)
    with pytest.raises(NotFound):
        children_application_record(actor=setup["cw_b"], child=child, accepted_on=MONDAY, applied_by="x", on=MONDAY)
    with pytest.raises(NotFound):
        children_application_submit(actor=setup["cw_b"], case=case, opinion="x", on=MONDAY)
    assert children_applications.application_rows(setup["cw_b"], today=MONDAY) == []
    client.force_login(setup["cw_b"])
    for url in (f"/children/applications/{case.pk}/", f"/people/{child.pk}/children/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/children/applications/{case.pk}/", {"verb": "submit", "opinion": "x"}).status_code == 404
    r = client.post(
        f"/api/v1/children/applications/{case.pk}/submit", {"opinion": "x"}, content_type="application/json"
    )
    assert r.status_code == 404
    listing = client.get("/children/applications/?step=all").content.decode()
    assert f"children-application-{case.pk}" not in listing and "王小宝" not in listing
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED


def test_the_generic_case_procedure_offers_it_nothing(setup, client):
    """No survey, verification, notice, extension or withdrawal of dibao's procedure on a child's application (it is
    withdrawn on its own page, at the township's step); its case page is the application's page."""
    from doudi.cases.moves import available_moves

    child = grandchild(setup)
    case = received(setup, child)
    assert available_moves(setup["cw"], case) == []
    with pytest.raises(PermissionDenied):
        case_move(actor=setup["cw"], case=case, move="record_survey", data={}, on=MONDAY)
    client.force_login(setup["cw"])
    r = client.get(f"/cases/{case.pk}/")
    assert r.status_code == 302 and r["Location"] == f"/children/applications/{case.pk}/"
    # and the county grants no second time beside it
    orphan(setup, child)
    with pytest.raises(Conflict) as e:
        children.children_grant(actor=setup["approver"], person=child, on=MONDAY)
    assert "在办的申请" in e.value.zh


def test_pages_record_submit_and_decide(setup, client):
    from django.utils import timezone

    today = timezone.localdate()
    child = grandchild(setup)
    orphan(setup, child, on=today)
    client.force_login(setup["cw"])
    page = client.get(f"/people/{child.pk}/children/").content.decode()
    assert 'id="apply-form"' in page
    r = client.post(
        f"/people/{child.pk}/children/",
        {"verb": "apply", "accepted_on": "", "applied_by": "祖母"},
    )
    assert "请填写受理日期" in r.content.decode() and not Case.objects.filter(programme_id="children").exists()
    accepted = today - dt.timedelta(days=40)  # 40 calendar days: past 15 working days whatever the holidays
    r = client.post(
        f"/people/{child.pk}/children/",
        {"verb": "apply", "accepted_on": f"{accepted:%Y-%m-%d}", "applied_by": "祖母 王某某", "note": "上门申请"},
    )
    assert r.status_code == 302
    case = Case.objects.get(programme_id="children", applicant=child)
    page = client.get(f"/people/{child.pk}/children/").content.decode()
    assert "乡镇调查核实中" in page and f"{case.step_due:%Y-%m-%d}" in page and "已超期" in page
    listing = client.get("/children/applications/").content.decode()
    assert f'data-item="children-application-{case.pk}"' in listing and "祖母 王某某" in listing
    assert "/children/applications/" in client.get("/children/").content.decode()
    home = client.get("/").content.decode()
    assert 'id="child-applications"' in home and "待调查核实、报县审批 1 件" in home and "其中 1 件已超过" in home
    # the village cadre's day follows the village's open cases through dibao's steps: not a child's application,
    # which has none of them (it would sit under 已受理，待入户调查)
    from doudi.accounts.models import Staff

    client.force_login(Staff.objects.get(username="cadre_a"))
    assert f'data-item="case-{case.pk}"' not in client.get("/").content.decode()
    client.force_login(setup["cw"])
    r = client.post(f"/children/applications/{case.pk}/", {"verb": "submit", "opinion": "经调查父母均已死亡"})
    assert r.status_code == 302
    client.force_login(setup["approver"])
    home = client.get("/").content.decode()
    assert "乡镇已报、待县级审批 1 件" in home and "其中" not in home.split('id="child-applications"')[1][:400]
    page = client.get(f"/children/applications/{case.pk}/").content.decode()
    assert 'id="decide"' in page and "经调查父母均已死亡" in page and "乡镇调查核实后报县审批" in page
    r = client.post(f"/children/applications/{case.pk}/", {"verb": "decide", "outcome": "refuse", "reason": ""})
    assert "请填写不予批准理由" in r.content.decode()
    r = client.post(f"/children/applications/{case.pk}/", {"verb": "decide", "outcome": "approve", "reason": "同意"})
    assert r.status_code == 302
    e = Enrolment.objects.get(programme_id="children", person=child)
    assert e.case_id == case.pk and e.start_month.day == 1 and e.start_month > today
    assert 'id="child-applications"' not in client.get("/").content.decode()
    # in English
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/children/applications/{case.pk}/").content.decode()
    assert "Approved by the county" in page and "Application received by the township" in page


def test_api_create_list_submit_decide(setup, client):
    from django.utils import timezone

    today = timezone.localdate()
    child = grandchild(setup)
    client.force_login(setup["cw"])
    r = client.post(
        "/api/v1/children/applications",
        {"child_id": child.pk, "accepted_on": f"{today:%Y-%m-%d}", "applied_by": "  "},
        content_type="application/json",
    )
    assert r.status_code == 422 and "applied_by" in r.content.decode()
    r = client.post(
        "/api/v1/children/applications",
        {"child_id": child.pk, "accepted_on": f"{today:%Y-%m-%d}", "applied_by": "祖母"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["step"] == "accepted" and body["overdue"] is False and body["applied_by"] == "祖母"
    case_id = body["case_id"]
    assert [a["case_id"] for a in client.get("/api/v1/children/applications?step=accepted").json()] == [case_id]
    assert client.get("/api/v1/children/applications?step=county_review").json() == []
    r = client.post(
        f"/api/v1/children/applications/{case_id}/submit", {"opinion": "属实"}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["field"] == "child" and "尚未登记" in r.json()["message_zh"]
    orphan(setup, child, on=today)
    r = client.post(
        f"/api/v1/children/applications/{case_id}/submit", {"opinion": "属实"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["state"] == "county_review"
    client.force_login(setup["approver"])
    r = client.post(
        f"/api/v1/children/applications/{case_id}/decide", {"outcome": "refuse"}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["field"] == "reason" and "不予批准理由" in r.json()["message_zh"]
    r = client.post(
        f"/api/v1/children/applications/{case_id}/decide",
        {"outcome": "approve", "in_institution": True},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["state"] == "approved" and out["monthly_amount"] == "1000.00" and out["enrolment_id"]


def test_the_child_s_death_withdraws_the_application(setup):
    from doudi.benefits.life import person_death_record

    child = grandchild(setup)
    case = received(setup, child)
    result = person_death_record(actor=setup["cw"], person=child, died_on=dt.date(2026, 10, 2), details="病故")
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN and case.step_due is None
    assert any(e.case_id == case.pk and e.programme == "children" for e in result.effects)
    assert applications_waiting(setup["cw"], dt.date(2026, 10, 20)) is None


def test_the_statistics_count_an_application_once_with_its_own_dates(setup):
    """The application indicators (SQ) read cases of kind new: a child's application is counted accepted on the
    day received and decided on the day of the county's decision, once — the approval added no second case."""
    from doudi.statistics.selectors import figures

    child = grandchild(setup)
    orphan(setup, child)
    case = received(setup, child)  # 21 September
    children_application_submit(actor=setup["cw"], case=case, opinion="属实", on=dt.date(2026, 10, 15))

    def sq(month):
        got = {
            f.indicator.code: f.value
            for f in figures(setup["approver"], month, codes=["SQ0101000000", "SQ0102000000", "SQ0104000000"])
        }
        return got["SQ0101000000"], got["SQ0102000000"], got["SQ0104000000"]

    assert sq(dt.date(2026, 9, 1)) == (1, 0, 1)  # received in September, open at its end
    children_application_decide(actor=setup["approver"], case=case, outcome="approve", on=dt.date(2026, 11, 6))
    assert sq(dt.date(2026, 11, 1)) == (0, 1, 0)  # approved in November, once


# ---- withdrawn at the township's step ----------------------------------------------------------------------------


def test_withdrawn_at_the_township_s_step_frees_the_child_to_apply_again_or_be_granted(setup):
    from doudi.cases.models import CaseEvent

    child = grandchild(setup)
    orphan(setup, child)
    case = received(setup, child)
    out = children_applications.children_application_withdraw(
        actor=setup["cw"], case=case, reason="  监护人表示孩子母亲已回家抚养，不再申请 ", on=dt.date(2026, 9, 28)
    )
    case.refresh_from_db()
    assert (out.pk, case.state, case.withdraw_reason, case.step_due, case.total_due, case.state_since) == (
        case.pk,
        CaseState.WITHDRAWN,
        "监护人表示孩子母亲已回家抚养，不再申请",
        None,
        None,
        dt.date(2026, 9, 28),
    )
    # the procedure's withdrawal (as a death's): its event in the timeline and its audit event
    event = CaseEvent.objects.get(case=case, move="withdraw")
    assert (event.on, event.from_state, event.to_state, event.actor, event.note) == (
        dt.date(2026, 9, 28),
        CaseState.ACCEPTED,
        CaseState.WITHDRAWN,
        setup["cw"],
        "监护人表示孩子母亲已回家抚养，不再申请",
    )
    audit = AuditEvent.objects.get(action="case.withdraw", target_id=str(case.pk))
    assert audit.area_code == "511425101201" and audit.new["state"] == "withdrawn"
    assert audit.new["reason"] == "监护人表示孩子母亲已回家抚养，不再申请"
    assert children_applications.application_rows(setup["cw"], today=dt.date(2026, 9, 28)) == []
    assert applications_waiting(setup["cw"], dt.date(2026, 9, 28)) is None
    with pytest.raises(Conflict) as again:  # done once
        children_applications.children_application_withdraw(actor=setup["cw"], case=case, reason="再撤")
    assert again.value.code == "bad_state" and "已办结（已撤回）" in again.value.zh
    # the child may apply again, and that one withdrawn too, the county may grant directly
    second = received(setup, child, accepted_on=dt.date(2026, 9, 29), on=dt.date(2026, 9, 29))
    assert second.pk != case.pk and second.state == CaseState.ACCEPTED
    children_applications.children_application_withdraw(actor=setup["cw"], case=second, reason="改为直接核定")
    e = children.children_grant(actor=setup["approver"], person=child, on=dt.date(2026, 9, 30))
    assert e.person_id == child.pk and e.monthly_amount == Decimal("600.00")


def test_withdrawal_needs_a_reason_and_saves_nothing_without_one(setup):
    from doudi.cases.models import CaseEvent

    child = grandchild(setup)
    case = received(setup, child)
    audits = AuditEvent.objects.count()
    for reason, zh in (("  ", "请填写撤回原因"), ("长" * 201, "撤回原因最多200个字"), (None, "请填写撤回原因")):
        with pytest.raises(ApplicationError) as e:
            children_applications.children_application_withdraw(actor=setup["cw"], case=case, reason=reason)
        assert e.value.field == "reason" and zh in e.value.zh
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED and case.withdraw_reason == "" and case.version == 0
    assert not CaseEvent.objects.filter(case=case, move="withdraw").exists() and AuditEvent.objects.count() == audits


def test_withdrawal_is_refused_once_submitted_to_the_county(setup):
    child = grandchild(setup)
    orphan(setup, child)
    case = children_application_submit(actor=setup["cw"], case=received(setup, child), opinion="属实", on=MONDAY)
    with pytest.raises(Conflict) as e:
        children_applications.children_application_withdraw(actor=setup["cw"], case=case, reason="监护人不再申请")
    assert e.value.field == "case" and e.value.code == "bad_state" and "已报县审批" in e.value.zh
    # nor through the case procedure's own routes: a child's application is withdrawn on its own page only
    from django.test import Client

    client = Client()
    client.force_login(setup["cw"])
    r = client.post(f"/cases/{case.pk}/move/withdraw/", {"reason": "监护人不再申请"})
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    r = client.post(
        f"/api/v1/cases/{case.pk}/moves/withdraw",
        {"data": {"reason": "监护人不再申请"}},
        content_type="application/json",
    )
    assert r.status_code == 403 and r.json()["code"] == "own_procedure"
    assert client.get(f"/api/v1/cases/{case.pk}").json()["moves"] == []  # and none is offered there
    r = client.post(
        f"/api/v1/children/applications/{case.pk}/withdraw",
        {"reason": "监护人不再申请"},
        content_type="application/json",
    )
    assert r.status_code == 409 and "已报县审批" in r.json()["message_zh"]
    case.refresh_from_db()
    assert case.state == CaseState.COUNTY_REVIEW
    assert not AuditEvent.objects.filter(action="case.withdraw").exists()


def test_another_township_s_caseworker_cannot_withdraw_it(setup, client):
    child = grandchild(setup)
    case = received(setup, child)
    with pytest.raises(NotFound):
        children_applications.children_application_withdraw(actor=setup["cw_b"], case=case, reason="x")
    client.force_login(setup["cw_b"])
    assert (
        client.post(f"/children/applications/{case.pk}/", {"verb": "withdraw", "withdraw_reason": "x"}).status_code
        == 404
    )
    r = client.post(
        f"/api/v1/children/applications/{case.pk}/withdraw", {"reason": "x"}, content_type="application/json"
    )
    assert r.status_code == 404
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED


def test_a_role_that_does_not_record_applications_cannot_withdraw_it(setup, client):
    """The township's reviewer submits to the county but does not record applications; the village cadre withdraws
    a household's dibao application but not a child's; the county approver decides."""
    from doudi.accounts.models import Staff

    child = grandchild(setup)
    case = received(setup, child)
    cadre, reviewer = Staff.objects.get(username="cadre_a"), township_reviewer()
    for who in (reviewer, cadre, setup["approver"]):
        with pytest.raises(PermissionDenied):
            children_applications.children_application_withdraw(actor=who, case=case, reason="x")
        assert not children_applications.may_withdraw(who, case)
        client.force_login(who)
        page = client.get(f"/children/applications/{case.pk}/").content.decode()
        assert 'id="withdraw"' not in page, who.username
        r = client.post(f"/children/applications/{case.pk}/", {"verb": "withdraw", "withdraw_reason": "x"})
        assert "您的角色无权执行此操作" in r.content.decode(), who.username  # the page again, with the refusal
        r = client.post(
            f"/api/v1/children/applications/{case.pk}/withdraw", {"reason": "x"}, content_type="application/json"
        )
        assert r.status_code == 403, who.username
    client.force_login(cadre)  # nor through the case procedure's withdrawal, which the cadre may make on dibao's
    client.post(f"/cases/{case.pk}/move/withdraw/", {"reason": "x"})
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED
    assert not AuditEvent.objects.filter(action="case.withdraw").exists()


def test_page_withdraws_with_a_reason(setup, client):
    from django.utils import timezone

    today = timezone.localdate()
    child = grandchild(setup)
    case = received(setup, child, accepted_on=today, on=today)
    client.force_login(setup["cw"])
    page = client.get(f"/children/applications/{case.pk}/").content.decode()
    assert 'id="withdraw"' in page and "撤回原因" in page and 'name="withdraw_reason"' in page
    r = client.post(f"/children/applications/{case.pk}/", {"verb": "withdraw", "withdraw_reason": " "})
    assert r.status_code == 200 and "请填写撤回原因" in r.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED
    r = client.post(f"/children/applications/{case.pk}/", {"verb": "withdraw", "withdraw_reason": "监护人不再申请"})
    assert r.status_code == 302
    page = client.get(f"/children/applications/{case.pk}/").content.decode()
    assert "已撤回" in page and 'id="withdraw"' not in page and 'id="submit"' not in page
    facts = page.split('id="application"')[1].split("</section>")[0]  # the reason beside the step, with its day
    assert "撤回原因" in facts and f"监护人不再申请 · {today:%Y-%m-%d}" in facts
    # the child's page offers a new application
    assert 'id="apply-form"' in client.get(f"/people/{child.pk}/children/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    second = received(setup, child, accepted_on=today, on=today)
    page = client.get(f"/children/applications/{second.pk}/").content.decode()
    assert "Withdraw the application" in page and "Reason for withdrawal" in page


def test_api_withdraws(setup, client):
    child = grandchild(setup)
    case = received(setup, child)
    client.force_login(setup["cw"])
    url = f"/api/v1/children/applications/{case.pk}/withdraw"
    r = client.post(url, {"reason": "  "}, content_type="application/json")
    assert r.status_code == 422 and "reason" in r.content.decode()
    r = client.post(url, {"reason": "监护人不再申请"}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json() == {
        "case_id": case.pk,
        "state": "withdrawn",
        "due": None,
        "enrolment_id": None,
        "monthly_amount": None,
        "start_month": None,
    }
