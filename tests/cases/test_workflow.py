import datetime as dt
from decimal import Decimal

import pytest

from doudi.audit.models import AuditEvent
from doudi.cases import workflow as wf
from doudi.cases.actions import (
    available_moves,
    case_move,
    materials_notice_issue,
    materials_add,
    referral_answer,
)
from doudi.cases.models import Case, CaseEvent, Enrolment, Notification
from doudi.core.errors import ApplicationError, Conflict, PermissionDenied

from .conftest import D, walk


def test_full_path_from_window_to_first_month_of_enrolment(apply, people):
    app = apply(programmes=["dibao"], referrals=[{"department": "education", "need": "子女教育资助"}])
    case = app.cases.get()
    assert case.state == "draft"
    case = walk(case, people)
    # 2016 version in force (rural 230): per capita (500 − 50) ÷ 3 = 150 → (230 − 150) × 3 = 240
    assert case.state == "approved" and case.decision_amount == Decimal("240.00")
    enrolment = Enrolment.objects.get(case=case)
    assert enrolment.monthly_amount == case.decision_amount
    assert enrolment.start_month == dt.date(2026, 4, 1)  # the month after approval
    assert case.payment_start == dt.date(2026, 4, 1)
    assert case.decision_explanation["monthly_amount"] == str(case.decision_amount)
    moves = list(CaseEvent.objects.filter(case=case).values_list("move", flat=True))
    assert moves == [
        "create",
        "accept",
        "record_survey",
        "request_verification",
        "attach_verification",
        "township_opinion",
        "start_notice",
        "submit_to_county",
        "approve",
    ]
    # one audit event per move
    assert AuditEvent.objects.filter(target_type="case", target_id=str(case.pk)).count() == 8
    assert Notification.objects.filter(case=case).count() == 2  # notice started, approved
    assert app.referrals.get().answered_on is None


def test_amount_follows_policy_engine(apply, people):
    case = walk(apply().cases.get(), people)
    from doudi.programmes.rules import evaluate
    from doudi.programmes.rules.registry_input import household_input

    d = evaluate("dibao", household_input(case.household), case.decided_on)
    assert case.decision_amount == d.monthly_amount


def test_incomplete_materials_one_notice_listing_everything(apply, people):
    app = apply(materials=["id_copy"])
    case = app.cases.get()
    with pytest.raises(ApplicationError) as info:
        case_move(actor=people["caseworker_a"], case=case, move="accept", on=D)
    assert info.value.code == "materials_missing" and set(info.value.extra["missing"]) == {
        "authorisation",
        "pledge",
        "income_proof",
    }
    notice = materials_notice_issue(actor=people["caseworker_a"], application=app, on=D)
    assert notice.missing == ["authorisation", "pledge", "income_proof"]
    assert (
        "授权书" in Notification.objects.latest("id").message and "承诺书" in Notification.objects.latest("id").message
    )
    materials_add(actor=people["caseworker_a"], application=app, items=["authorisation", "pledge", "income_proof"])
    assert case_move(actor=people["caseworker_a"], case=case, move="accept", on=D).state == "accepted"


def test_one_application_several_programmes_and_referrals(apply, people):
    app = apply(
        programmes=["dibao", "tekun"],
        referrals=[{"department": "housing", "need": "危房改造"}, {"department": "health", "need": "医疗救助"}],
    )
    assert sorted(app.cases.values_list("programme_id", flat=True)) == ["dibao", "tekun"]
    r = app.referrals.get(department="housing")
    assert r.due_on is not None
    referral_answer(actor=people["caseworker_a"], referral=r, answer="已列入改造计划", on=D + dt.timedelta(days=5))
    r.refresh_from_db()
    assert r.answered_on == D + dt.timedelta(days=5)
    with pytest.raises(Conflict):  # the same programme cannot be opened twice
        apply(programmes=["dibao"])


def test_only_allowed_moves_are_offered(apply, people):
    case = apply().cases.get()
    assert [m.code for m in available_moves(people["caseworker_a"], case)] == ["accept", "withdraw"]
    assert [m.code for m in available_moves(people["approver"], case)] == []
    assert [m.code for m in available_moves(people["cadre_a"], case)] == ["withdraw"]
    assert available_moves(people["caseworker_b"], case) == []  # other township
    with pytest.raises(PermissionDenied):
        case_move(actor=people["ts_reviewer"], case=case, move="accept", on=D)
    with pytest.raises(Conflict):
        case_move(actor=people["caseworker_a"], case=case, move="approve", on=D)


def test_survey_needs_two_surveyors_and_both_confirmations(apply, people):
    case = case_move(actor=people["caseworker_a"], case=apply().cases.get(), move="accept", on=D)
    base = {"findings": "x", "applicant_confirmed": True, "surveyors_confirmed": True}
    with pytest.raises(ApplicationError) as info:
        case_move(
            actor=people["caseworker_a"],
            case=case,
            move="record_survey",
            on=D,
            data={**base, "surveyors": [people["caseworker_a"].pk]},
        )
    assert info.value.code == "two_surveyors"
    with pytest.raises(ApplicationError) as info:
        case_move(
            actor=people["caseworker_a"],
            case=case,
            move="record_survey",
            on=D,
            data={
                **base,
                "applicant_confirmed": False,
                "surveyors": [people["caseworker_a"].pk, people["caseworker_a2"].pk],
            },
        )
    assert info.value.code == "both_confirm"
    with pytest.raises(ApplicationError):  # a surveyor from another township
        case_move(
            actor=people["caseworker_a"],
            case=case,
            move="record_survey",
            on=D,
            data={**base, "surveyors": [people["caseworker_a"].pk, people["caseworker_b"].pk]},
        )
    case.refresh_from_db()
    assert case.state == "accepted"


def test_approver_who_surveyed_or_created_is_refused(apply, people):
    # A county approver who took part in the survey cannot approve.
    case = walk(apply().cases.get(), people, until="county_review")
    case.surveys.get().surveyors.add(people["approver"])
    with pytest.raises(PermissionDenied) as info:
        case_move(actor=people["approver"], case=case, move="approve", on=case.notice_end)
    assert "调查" in info.value.zh
    assert "approve" not in [m.code for m in available_moves(people["approver"], case)]
    assert "approve" in [m.code for m in available_moves(people["approver2"], case)]
    case_move(actor=people["approver2"], case=case, move="approve", on=case.notice_end)


def test_refusal_with_written_reason_and_deadline(apply, people):
    case = walk(apply().cases.get(), people, until="county_review")
    with pytest.raises(ApplicationError) as info:
        case_move(actor=people["approver"], case=case, move="refuse", on=case.notice_end, data={"reason": " "})
    assert info.value.field == "reason"
    case = case_move(
        actor=people["approver"], case=case, move="refuse", on=case.notice_end, data={"reason": "家庭人均收入高于标准"}
    )
    assert case.state == "refused" and case.refusal_reason == "家庭人均收入高于标准"
    assert case.step_due is not None  # the written notice is due in 3 working days
    assert "不予批准" in Notification.objects.latest("id").message
    assert not Enrolment.objects.exists()


def test_township_does_not_recommend_goes_to_county_without_notice(apply, people):
    case = walk(apply().cases.get(), people, until="verified")
    case = case_move(
        actor=people["ts_reviewer"],
        case=case,
        move="township_opinion",
        on=D,
        data={"opinion": "收入超标", "recommends": False},
    )
    assert [m.code for m in available_moves(people["caseworker_a"], case)] == ["submit_to_county", "withdraw"]
    with pytest.raises(PermissionDenied):
        case_move(actor=people["caseworker_a"], case=case, move="start_notice", on=D)
    case = case_move(actor=people["caseworker_a"], case=case, move="submit_to_county", on=D)
    assert case.state == "county_review" and case.notice_start is None


def test_objection_leads_to_resurvey(apply, people):
    case = walk(apply().cases.get(), people, until="noticing")
    case = case_move(
        actor=people["caseworker_a"], case=case, move="record_objection", on=D, data={"content": "群众反映该户有车"}
    )
    assert case.state == "objected"
    case = case_move(actor=people["caseworker_a"], case=case, move="resurvey", on=D)
    assert case.state == "accepted" and case.objections.get().resolution == "resurvey"


def test_objection_leads_to_democratic_appraisal_with_attendance(apply, people):
    case = walk(apply().cases.get(), people, until="noticing")
    case = case_move(actor=people["caseworker_a"], case=case, move="record_objection", on=D, data={"content": "有异议"})
    with pytest.raises(ApplicationError) as info:
        case_move(
            actor=people["caseworker_a"],
            case=case,
            move="record_appraisal",
            on=D,
            data={"attendance": 0, "attendees": "x", "supports": True},
        )
    assert info.value.field == "attendance"
    case = case_move(
        actor=people["caseworker_a"],
        case=case,
        move="record_appraisal",
        on=D,
        data={"attendance": 15, "attendees": "村民代表15人", "supports": True},
    )
    assert case.state == "appraised" and case.appraisals.get().attendance == 15
    case = case_move(
        actor=people["ts_reviewer"],
        case=case,
        move="township_opinion",
        on=D,
        data={"opinion": "评议同意", "recommends": True},
    )
    assert case.state == "township_reviewed"


def test_notice_must_run_seven_days(apply, people):
    case = walk(apply().cases.get(), people, until="noticing")
    assert case.notice_end == D + dt.timedelta(days=7)
    with pytest.raises(ApplicationError) as info:
        case_move(actor=people["caseworker_a"], case=case, move="submit_to_county", on=D + dt.timedelta(days=3))
    assert info.value.code == "notice_running"


def test_flagged_relative_needs_county_home_visit(apply, people):
    with pytest.raises(ApplicationError):
        apply(relative_of_staff=True)
    case = apply(relative_of_staff=True, relative_note="村委会主任之弟").cases.get()
    assert case.flagged
    case = walk(case, people, until="county_review")
    assert "approve" not in [m.code for m in available_moves(people["approver"], case)]
    with pytest.raises(PermissionDenied) as info:
        case_move(actor=people["approver"], case=case, move="approve", on=case.notice_end)
    assert "入户核查" in info.value.zh
    case = case_move(
        actor=people["county_reviewer"],
        case=case,
        move="record_home_visit",
        on=case.notice_end,
        data={"findings": "情况属实"},
    )
    assert case.state == "county_review"
    case = case_move(actor=people["approver"], case=case, move="approve", on=case.notice_end)
    assert case.state == "approved"


def test_complaint_requires_home_visit(apply, people):
    case = walk(apply().cases.get(), people, until="county_review")
    case = case_move(
        actor=people["county_reviewer"],
        case=case,
        move="record_complaint",
        on=case.notice_end,
        data={"content": "举报有隐瞒收入"},
    )
    assert case.complaint
    assert "approve" not in [m.code for m in available_moves(people["approver"], case)]


def test_withdraw_before_decision_only(apply, people):
    case = apply().cases.get()
    case = case_move(actor=people["cadre_a"], case=case, move="withdraw", on=D, data={"reason": "申请人主动撤回"})
    assert case.state == "withdrawn"
    approved = walk(apply().cases.get(), people)
    with pytest.raises(Conflict):
        case_move(actor=people["caseworker_a"], case=approved, move="withdraw", on=D, data={"reason": "x"})


def test_concurrent_moves_cannot_both_succeed(apply, people):
    case = apply().cases.get()
    version = case.version
    case_move(actor=people["caseworker_a"], case=case, move="accept", on=D, expected_version=version)
    with pytest.raises(Conflict) as info:
        case_move(
            actor=people["caseworker_a2"],
            case=case,
            move="withdraw",
            on=D,
            data={"reason": "x"},
            expected_version=version,
        )
    assert info.value.code == "stale"
    assert Case.objects.get(pk=case.pk).state == "accepted"


def test_not_eligible_cannot_be_approved(apply, people, staff):
    from doudi.registry.actions import record_add

    case = walk(apply().cases.get(), people, until="county_review")
    record_add(
        actor=staff["caseworker_a"],
        household=case.household,
        kind="incomes",
        data={"kind": "business", "monthly": "3000.00"},
    )
    with pytest.raises(ApplicationError) as info:
        case_move(actor=people["approver"], case=case, move="approve", on=case.notice_end)
    assert info.value.code == "not_eligible"


def test_workflow_table_is_consistent():
    for m in wf.MOVES.values():
        assert all(s in wf.STATES for s in m.sources)
        assert m.target is None or m.target in wf.STATES
    assert {m.target for m in wf.MOVES.values() if m.target} | {"draft"} == set(wf.STATES)
