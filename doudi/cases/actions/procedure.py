"""The procedure: ``case_move`` makes one move of workflow.MOVES. Every move checks the workflow table, the role,
the area scope and the maker-checker rule (moves.py), runs in one transaction with a row lock and a version check
(two people moving the same case at once cannot both succeed), records a timeline event and an audit event, and
recomputes the deadlines from the working-day calendar. Each move's own records are made by its handler below."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from doudi.accounts.scope import covers, ensure_not_maker
from doudi.audit.actions import audit_record
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from doudi.core.money import add_months
from doudi.core.validation import TEXT_MAX, date_clean, id_or_none, int_clean, text_clean
from doudi.core.workdays import WorkCalendar
from doudi.programmes.shapes import SHAPES

from .. import workflow as wf
from ..audit_actions import AuditAction
from ..deadlines import case_deadlines_set
from ..models import (
    Appraisal,
    Case,
    CaseEvent,
    CaseKind,
    ChangeKind,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    HomeVisit,
    Objection,
    ObjectionResolution,
    ReviewCategory,
    Survey,
)
from ..moves import move_allowed
from ..notify import notify
from ..selectors import case_decision, materials_missing, review_category, surveyors_for
from ..watchers import enrolment_changed
from .enrolments import enrolment_change_record, enrolment_terminate


def _text(data: dict, key: str, zh: str, en: str, *, max_length: int = TEXT_MAX, required: bool = True) -> str:
    """A text the move asks for, refused (never cut) when longer than its column holds."""
    return text_clean(
        data.get(key),
        field=key,
        zh_label=zh,
        en_label=en,
        max_length=max_length,
        required=required,
        multiline=max_length == TEXT_MAX,
    )


def _date(data: dict, key: str, default: dt.date, zh: str = "日期", en: str = "Date") -> dt.date:
    return date_clean(data.get(key), field=key, zh_label=zh, en_label=en, default=default)


@action
def case_move(
    *,
    actor,
    case: Case,
    move: str,
    data: dict | None = None,
    on: dt.date | None = None,
    expected_version: int | None = None,
) -> Case:
    """Make ``move`` on ``case`` with the form's ``data``. ``expected_version`` is the version the person saw: if
    someone moved the case since, the move is refused (Conflict, code ``stale``). ``on`` is the day of the move
    (today unless a set-up or test says otherwise)."""
    data = dict(data or {})
    on = on or timezone.localdate()
    m = wf.MOVES.get(move)
    if m is None:
        raise ApplicationError("没有这个操作", "No such move", field="move", code="unknown_move")
    if not covers(actor, case.area_code):
        raise NotFound()
    case = Case.objects.select_for_update().select_related("programme", "household").get(pk=case.pk)
    if expected_version is not None and case.version != expected_version:
        raise Conflict(
            "该案件刚被他人处理，请刷新后再操作",
            "Someone else just moved this case; reload it",
            field="version",
            code="stale",
        )
    ok, why = move_allowed(actor, case, m)
    if not ok:
        if why.startswith("当前状态"):
            raise Conflict(
                f"{why}（当前：{wf.state_label(case.state)}）",
                f"Not allowed in state {case.state}",
                field="move",
                code="bad_state",
            )
        raise PermissionDenied(why, "You may not make this move", code="move_forbidden")
    before = case.state
    record = HANDLERS[move](actor, case, data, on)
    if m.target:
        case.state, case.state_since = m.target, on
    case.version += 1
    case_deadlines_set(case, on, WorkCalendar.load())
    case.save()
    CaseEvent.objects.create(
        case=case,
        on=on,
        actor=actor,
        move=move,
        from_state=before,
        to_state=case.state,
        note=str(data.get("note") or data.get("reason") or ""),
        data=record or {},
    )
    audit_record(
        actor=actor,
        action=AuditAction.for_move(move),
        target=case,
        area_code=case.area_code,
        household_id=case.household_id,
        old={"state": before, "version": case.version - 1},
        new={"state": case.state, **(record or {})},
    )
    return case


def _accept(actor, case, data, on):
    if case.application is not None:
        missing = materials_missing(case.application)
        if missing:
            raise ApplicationError(
                "材料不齐全，请先一次性告知缺少的材料：" + "、".join(wf.REQUIRED_MATERIALS[x] for x in missing),
                "Materials are missing; issue the one-time notice first",
                field="materials",
                code="materials_missing",
                extra={"missing": missing},
            )
    case.accepted_on = on
    return {"accepted_on": on.isoformat()}


def _record_survey(actor, case, data, on):
    chosen = data.get("surveyors") or []
    chosen = [x for x in (chosen if isinstance(chosen, (list, tuple)) else [chosen]) if x not in ("", None)]
    ids = sorted({i for i in map(id_or_none, chosen) if i is not None})
    if len(ids) != len(set(map(str, chosen))):
        raise ApplicationError(
            "调查人员须为本乡镇工作人员", "Surveyors must be staff of the township", field="surveyors"
        )
    if len(ids) < 2:
        raise ApplicationError(
            "入户调查须有2名以上调查人员",
            "A survey needs at least two surveyors",
            field="surveyors",
            code="two_surveyors",
        )
    staff = list(surveyors_for(case).filter(pk__in=ids))
    if len(staff) != len(ids):
        raise ApplicationError(
            "调查人员须为本乡镇工作人员", "Surveyors must be staff of the township", field="surveyors"
        )
    visit = _date(data, "visit_date", on, "入户日期", "Visit date")
    if visit > on:
        raise ApplicationError("入户日期不能晚于今天", "The visit date cannot be in the future", field="visit_date")
    findings = _text(data, "findings", "调查情况", "Findings")
    if not (data.get("applicant_confirmed") and data.get("surveyors_confirmed")):
        raise ApplicationError(
            "调查记录须由申请人和调查人员双方签字确认",
            "Both sides must confirm the survey record",
            field="applicant_confirmed",
            code="both_confirm",
        )
    survey = Survey.objects.create(
        case=case,
        visit_date=visit,
        findings=findings,
        applicant_confirmed=True,
        surveyors_confirmed=True,
        recorded_by=actor,
    )
    survey.surveyors.set(staff)
    return {"survey": survey.pk, "surveyors": ids, "visit_date": visit.isoformat()}


def _request_verification(actor, case, data, on):
    return {"requested_on": on.isoformat()}


def _attach_verification(actor, case, data, on):
    return {"results": _text(data, "results", "核对结果", "Results")}


def _township_opinion(actor, case, data, on):
    case.township_opinion = _text(data, "opinion", "审核意见", "Opinion")
    recommends = data.get("recommends")
    if isinstance(recommends, str):
        recommends = recommends in ("1", "true", "yes", "on")
    case.township_recommends = bool(recommends)
    return {"opinion": case.township_opinion, "recommends": case.township_recommends}


def _start_notice(actor, case, data, on):
    if not case.township_recommends:
        raise ApplicationError(
            "乡镇审核意见为不同意的，不予公示，请报县级审批",
            "The township did not recommend: no notice; submit to the county",
            field="recommends",
            code="not_recommended",
        )
    case.notice_start, case.notice_end = on, on + dt.timedelta(days=wf.notice_days(case.programme_id))
    # the amount the notice proposes, fixed for the notice's 7 days and printed on its list [D21 §20]
    try:
        case.notice_amount = case_decision(case, on).monthly_amount
    except ApplicationError:
        case.notice_amount = None  # the engine cannot decide (incomplete data): the list leaves the amount blank
    notify(
        household=case.household,
        message=f"您的{case.programme.name_zh}申请自{on:%Y年%m月%d日}起在村（社区）公示7天。",
        case=case,
    )
    return {
        "notice_start": on.isoformat(),
        "notice_end": case.notice_end.isoformat(),
        "notice_amount": None if case.notice_amount is None else str(case.notice_amount),
    }


def _record_objection(actor, case, data, on):
    o = Objection.objects.create(
        case=case,
        received_on=_date(data, "received_on", on, "收到日期", "Date received"),
        content=_text(data, "content", "异议内容", "Objection"),
    )
    return {"objection": o.pk}


def _open_objection(case):
    return case.objections.filter(resolution="").order_by("-id").first()


def _resurvey(actor, case, data, on):
    o = _open_objection(case)
    if o:
        o.resolution = ObjectionResolution.RESURVEY
        o.save(update_fields=["resolution"])
    case.accepted_on = case.accepted_on or on
    return {"objection": o.pk if o else None}


def _record_appraisal(actor, case, data, on):
    attendance = int_clean(
        data.get("attendance"), field="attendance", zh_label="参会人数", en_label="Attendance", minimum=1, maximum=10000
    )
    supports = data.get("supports")
    if isinstance(supports, str):
        supports = supports in ("1", "true", "yes", "on")
    a = Appraisal.objects.create(
        case=case,
        held_on=_date(data, "held_on", on, "评议日期", "Date held"),
        attendance=attendance,
        attendees=_text(data, "attendees", "参会人员", "Attendees"),
        supports=bool(supports),
        minutes=_text(data, "minutes", "评议记录", "Minutes", required=False),
    )
    o = _open_objection(case)
    if o:
        o.resolution = ObjectionResolution.APPRAISAL
        o.save(update_fields=["resolution"])
    return {"appraisal": a.pk, "attendance": attendance, "supports": bool(supports)}


def _submit_to_county(actor, case, data, on):
    if case.notice_end and on < case.notice_end:
        raise ApplicationError(
            f"公示期至 {case.notice_end:%Y-%m-%d}，期满后才能报县审批",
            f"The notice runs until {case.notice_end:%Y-%m-%d}",
            field="notice_end",
            code="notice_running",
        )
    return {"submitted_on": on.isoformat()}


def _record_complaint(actor, case, data, on):
    case.complaint = True
    return {"complaint": _text(data, "content", "投诉内容", "Complaint")}


def _record_home_visit(actor, case, data, on):
    v = HomeVisit.objects.create(
        case=case,
        visited_on=_date(data, "visited_on", on, "核查日期", "Visit date"),
        by=actor,
        findings=_text(data, "findings", "核查情况", "Findings"),
    )
    return {"home_visit": v.pk}


def _extend(actor, case, data, on):
    case.extension = True
    case.extension_reason = _text(data, "reason", "延期理由", "Reason", max_length=200)
    return {"reason": case.extension_reason}


def _approve(actor, case, data, on):
    ensure_not_maker(actor, case.created_by_id, what="case")
    d = case_decision(case, on)
    if not d.eligible:
        reasons = "；".join(r["zh"] for r in d.reasons_ineligible)
        raise ApplicationError(
            f"按现行政策测算不符合条件，不能批准：{reasons}",
            "Under the parameters in force the household is not eligible",
            field="decision",
            code="not_eligible",
            extra={"reasons": d.reasons_ineligible},
        )
    case.decision_amount = d.monthly_amount
    case.decision_explanation = d.as_dict()
    case.decided_by, case.decided_on = actor, on
    case.payment_start = add_months(on, 1)  # from the month after approval [D21 §22]
    category = review_category(case.household, on)
    months = 6 if category == ReviewCategory.IRREGULAR else 12
    if case.kind == CaseKind.REVIEW and case.enrolment_id:
        enrolment = Enrolment.objects.select_for_update().get(pk=case.enrolment_id)
        enrolment_change_record(
            enrolment,
            amount=d.monthly_amount,
            month=case.payment_start,
            actor=actor,
            case=case,
            reason="复核后核定",
            status=EnrolmentStatus.ACTIVE,
        )
        enrolment.review_category = category
        enrolment.next_review_due = add_months(on, months)
        enrolment.counted_members = d.counted_members
        if case.support_mode:
            enrolment.support_mode, enrolment.institution = case.support_mode, case.institution
        enrolment.save()
    else:
        enrolment = Enrolment.objects.create(
            programme_id=case.programme_id,
            household=case.household,
            # a programme for one person (tekun) enrols the applicant; one for a household, the household
            person=case.applicant if SHAPES[case.programme_id].unit == "person" else None,
            case=case,
            area_code=case.area_code,
            start_month=case.payment_start,
            monthly_amount=d.monthly_amount,
            counted_members=d.counted_members,
            review_category=category,
            next_review_due=add_months(on, months),
            support_mode=case.support_mode,
            institution=case.institution,
        )
        EnrolmentChange.objects.create(
            enrolment=enrolment,
            kind=ChangeKind.START,
            from_month=case.payment_start,
            new_amount=d.monthly_amount,
            reason="批准纳入",
            case=case,
            actor=actor,
        )
        enrolment_changed(actor=actor, enrolment=enrolment, on=on)
    notify(
        household=case.household,
        case=case,
        message=f"您的{case.programme.name_zh}申请已批准，每月{d.monthly_amount}元，自{case.payment_start:%Y年%m月}起发放。",
    )
    return {"amount": str(d.monthly_amount), "payment_start": case.payment_start.isoformat(), "enrolment": enrolment.pk}


def _refuse(actor, case, data, on):
    case.refusal_reason = _text(data, "reason", "不予批准的理由", "Reason for refusal")
    case.decided_by, case.decided_on = actor, on
    if case.kind == CaseKind.REVIEW and case.enrolment_id:
        enrolment = Enrolment.objects.select_for_update().get(pk=case.enrolment_id)
        enrolment_terminate(
            enrolment,
            month=add_months(on, 1),
            on=on,
            actor=actor,
            case=case,
            reason=f"复核不再符合条件：{case.refusal_reason}",
        )
    notify(
        household=case.household,
        case=case,
        message=f"您的{case.programme.name_zh}申请经审核不予批准，理由：{case.refusal_reason}。如有异议可申请复核。",
    )
    return {"reason": case.refusal_reason}


def _withdraw(actor, case, data, on):
    case.withdraw_reason = _text(data, "reason", "撤回原因", "Reason", max_length=200)
    return {"reason": case.withdraw_reason}


HANDLERS = {
    "accept": _accept,
    "record_survey": _record_survey,
    "request_verification": _request_verification,
    "attach_verification": _attach_verification,
    "township_opinion": _township_opinion,
    "start_notice": _start_notice,
    "record_objection": _record_objection,
    "resurvey": _resurvey,
    "record_appraisal": _record_appraisal,
    "submit_to_county": _submit_to_county,
    "record_complaint": _record_complaint,
    "record_home_visit": _record_home_visit,
    "extend": _extend,
    "approve": _approve,
    "refuse": _refuse,
    "withdraw": _withdraw,
}
