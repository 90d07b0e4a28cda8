"""Case actions: the only writers of applications, cases, enrolments and their records. Every move checks
the workflow table, the role, the area scope and the maker-checker rule, runs in one transaction with a row
lock and a version check (two people moving the same case at once cannot both succeed), records a timeline
event and an audit event, and recomputes the deadlines from the working-day calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


from django.utils import timezone

from doudi.accounts.models import Staff
from doudi.accounts.roles import Perm
from doudi.accounts.scope import area_in_scope, ensure_not_maker, perm_require
from doudi.audit.actions import audit_record
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from doudi.core.money import ZERO, add_months, money_parse, month_start
from doudi.core.validation import TEXT_MAX, date_clean, date_range_check, id_or_none, int_clean, text_clean
from doudi.core.workdays import WorkCalendar, add_working_days
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.registry_input import household_input

from . import workflow as wf
from .models import (
    Appraisal,
    Application,
    Case,
    CaseEvent,
    CaseKind,
    ChangeKind,
    ChangeReport,
    Channel,
    Department,
    Enrolment,
    EnrolmentChange,
    EnrolmentStatus,
    HomeVisit,
    MaterialsNotice,
    Objection,
    Overpayment,
    Referral,
    ReportKind,
    ReviewCategory,
    Survey,
)
from .notify import notify

REQUIRED_MATERIALS = {
    "authorisation": "家庭经济状况核对授权书（全体成员签字）",
    "pledge": "承诺书",
    "id_copy": "身份证、户口簿复印件",
    "income_proof": "收入情况说明或证明",
}


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _ensure_scope(actor, area_code: str) -> None:
    if not area_in_scope(actor, area_code):
        raise NotFound()


# ---- one-door acceptance ------------------------------------------------------------------------------------
@action
def application_submit(
    *,
    actor,
    household,
    applicant,
    programmes: list[str],
    channel: str = "window",
    materials: list[str] = (),
    relative_of_staff: bool = False,
    relative_note: str = "",
    note: str = "",
    referrals: list[dict] = (),
    on: dt.date | None = None,
) -> Application:
    """Record one application for one or more programmes, with referrals to other departments. Each programme
    becomes a case in draft. An application from a relative of a caseworker or village committee member is
    flagged: registered separately, and the county must visit the home before deciding [D21 §11, §22]."""
    perm_require(actor, Perm.CASE_CREATE)
    _ensure_scope(actor, household.area_id)
    on = _today(on)
    from doudi.programmes.models import Programme

    if not isinstance(programmes, (list, tuple)) or not all(isinstance(p, str) for p in programmes):
        raise ApplicationError(
            "救助项目应为项目代码的列表",
            "programmes must be a list of programme codes",
            field="programmes",
            code="invalid_choice",
        )
    programmes = list(dict.fromkeys(programmes))
    if not programmes:
        raise ApplicationError("请至少选择一个救助项目", "Choose at least one programme", field="programmes")
    unknown = set(programmes) - set(Programme.objects.values_list("code", flat=True))
    if unknown:
        raise ApplicationError(f"未知的救助项目：{', '.join(sorted(unknown))}", "Unknown programme", field="programmes")
    if not applicant.memberships.filter(household=household, end_date__isnull=True).exists():
        raise ApplicationError(
            "申请人须为本户成员", "The applicant must be a member of the household", field="applicant"
        )
    if channel not in Channel.values:
        raise ApplicationError(
            f"受理渠道无效，可选：{'、'.join(Channel.values)}",
            f"Invalid channel; allowed: {', '.join(Channel.values)}",
            field="channel",
            code="invalid_choice",
        )
    relative_note = text_clean(
        relative_note, field="relative_note", zh_label="亲属关系说明", en_label="Relationship note", max_length=200
    )
    note = text_clean(note, field="note", zh_label="申请事由", en_label="Note", max_length=TEXT_MAX, multiline=True)
    if relative_of_staff and not relative_note:
        raise ApplicationError(
            "请说明与哪位工作人员的亲属关系",
            "Say which staff member the applicant is related to",
            field="relative_note",
        )
    materials = _materials(materials)
    if not isinstance(referrals, (list, tuple)):
        raise ApplicationError("转办应为列表", "referrals must be a list", field="referrals")
    referrals = [_referral(r, i) for i, r in enumerate(referrals)]
    open_cases = Case.objects.filter(
        household=household, programme_id__in=programmes, state__in=wf.OPEN_STATES, kind=CaseKind.NEW
    )
    if open_cases.exists():
        c = open_cases.first()
        raise Conflict(
            f"该户已有办理中的{c.programme.name_zh}申请（案件 #{c.pk}）",
            f"The household already has an open {c.programme_id} case (#{c.pk})",
            field="programmes",
        )
    application = Application.objects.create(
        household=household,
        applicant=applicant,
        programmes=programmes,
        channel=channel,
        received_on=on,
        area_code=household.area_id,
        materials=list(materials),
        relative_of_staff=relative_of_staff,
        relative_note=relative_note,
        note=note,
        created_by=actor,
    )
    for r in referrals:
        Referral.objects.create(
            application=application,
            department=r["department"],
            need=r["need"],
            sent_on=on,
            due_on=add_working_days(on, 10).due,
        )
    cases = []
    for code in programmes:
        case = Case.objects.create(
            application=application,
            programme_id=code,
            household=household,
            applicant=applicant,
            area_code=household.area_id,
            flagged=relative_of_staff,
            created_by=actor,
            state="draft",
            state_since=on,
        )
        CaseEvent.objects.create(
            case=case,
            on=on,
            actor=actor,
            move="create",
            from_state="",
            to_state="draft",
            note=note,
            data={"channel": channel, "flagged": relative_of_staff},
        )
        cases.append(case.pk)
    audit_record(
        actor=actor,
        action="application.submit",
        target=application,
        label=f"{household} 申请",
        area_code=household.area_id,
        household_id=household.pk,
        new={
            "programmes": programmes,
            "channel": channel,
            "materials": list(materials),
            "cases": cases,
            "flagged": relative_of_staff,
            "referrals": [dict(r) for r in referrals],
        },
    )
    return application


def _materials(items) -> list[str]:
    if not isinstance(items, (list, tuple)) or not all(isinstance(m, str) for m in items):
        raise ApplicationError(
            "材料应为材料代码的列表", "materials must be a list of codes", field="materials", code="invalid_choice"
        )
    bad = set(items) - set(REQUIRED_MATERIALS) - {"disability_card", "medical", "other"}
    if bad:
        shown = ", ".join(sorted(m[:30] for m in bad)[:5])
        raise ApplicationError(
            f"未知的材料：{shown}", f"Unknown material: {shown}", field="materials", code="invalid_choice"
        )
    return list(items)


def _referral(r, i: int) -> dict:
    """A referral to another department: {"department": one of Department, "need": up to 200 characters}."""
    if not isinstance(r, dict):
        raise ApplicationError(
            f"第{i + 1}项转办应为对象", f"Referral {i + 1} must be an object", field=f"referrals.{i}"
        )
    if r.get("department") not in Department.values:
        raise ApplicationError(
            f"第{i + 1}项转办的部门无效，可选：{'、'.join(Department.values)}",
            f"Referral {i + 1}: invalid department; allowed: {', '.join(Department.values)}",
            field=f"referrals.{i}.department",
            code="invalid_choice",
        )
    need = text_clean(
        r.get("need"),
        field=f"referrals.{i}.need",
        zh_label=f"第{i + 1}项转办事项",
        en_label=f"Referral {i + 1} need",
        max_length=200,
        required=True,
    )
    return {"department": r["department"], "need": need}


def materials_missing(application: Application) -> list[str]:
    return [k for k in REQUIRED_MATERIALS if k not in application.materials]


@action
def materials_notice_issue(*, actor, application: Application, on: dt.date | None = None) -> MaterialsNotice:
    """One notice listing every missing item at once (一次性告知) [D21 §10]."""
    perm_require(actor, Perm.CASE_CREATE)
    _ensure_scope(actor, application.area_code)
    missing = materials_missing(application)
    if not missing:
        raise ApplicationError("材料已齐全，无需告知", "All materials are in; no notice needed", field="materials")
    notice = MaterialsNotice.objects.create(
        application=application, missing=missing, issued_on=_today(on), issued_by=actor
    )
    text = "、".join(REQUIRED_MATERIALS[m] for m in missing)
    notify(household=application.household, message=f"您的社会救助申请还需补充以下材料（一次性告知）：{text}。")
    audit_record(
        actor=actor,
        action="application.materials_notice",
        target=application,
        area_code=application.area_code,
        household_id=application.household_id,
        new={"missing": missing},
    )
    return notice


@action
def materials_add(*, actor, application: Application, items: list[str]) -> Application:
    perm_require(actor, Perm.CASE_CREATE)
    _ensure_scope(actor, application.area_code)
    items = _materials(items)
    old = list(application.materials)
    application.materials = sorted(set(old) | set(items))
    application.save(update_fields=["materials"])
    audit_record(
        actor=actor,
        action="application.materials_add",
        target=application,
        area_code=application.area_code,
        household_id=application.household_id,
        old={"materials": old},
        new={"materials": application.materials},
    )
    return application


@action
def referral_answer(*, actor, referral: Referral, answer: str, on: dt.date | None = None) -> Referral:
    perm_require(actor, Perm.CASE_CREATE)
    _ensure_scope(actor, referral.application.area_code)
    answer = text_clean(
        answer,
        field="answer",
        zh_label="部门答复",
        en_label="The department's answer",
        max_length=TEXT_MAX,
        required=True,
        multiline=True,
    )
    referral.answer, referral.answered_on = answer, _today(on)
    referral.save(update_fields=["answer", "answered_on"])
    audit_record(
        actor=actor,
        action="referral.answer",
        target=referral,
        label=referral.get_department_display(),
        area_code=referral.application.area_code,
        household_id=referral.application.household_id,
        new={"answer": referral.answer},
    )
    return referral


# ---- moves ----------------------------------------------------------------------------------------------------
def _surveyor_ids(case: Case) -> set[int]:
    return set(Survey.surveyors.through.objects.filter(survey__case=case).values_list("staff_id", flat=True))


def move_allowed(actor, case: Case, move: wf.Move) -> tuple[bool, str]:
    """Whether ``actor`` may make ``move`` now, and if not, why (shown to people and tested)."""
    if case.state not in move.sources:
        return False, "当前状态不能执行此操作"
    if actor.role not in move.roles:
        return False, "您的角色不能执行此操作"
    if not case.area_code.startswith(actor.scope_prefix):
        return False, "不在您的管辖区域"
    if move.code == "approve":
        if actor.pk == case.created_by_id or actor.pk in _surveyor_ids(case):
            return False, "创建或参与调查的人员不能审批"
        if (case.flagged or case.complaint) and not case.home_visits.exists():
            return False, "单独登记或有投诉的案件须先由县级入户核查"
    if move.code == "extend" and case.extension:
        return False, "已经延期"
    if move.code == "submit_to_county" and case.state == "township_reviewed" and case.township_recommends:
        return False, "乡镇同意的须先公示"
    if move.code == "start_notice" and case.township_recommends is False:
        return False, "乡镇不同意的不予公示，直接报县审批"
    return True, ""


def available_moves(actor, case: Case) -> list[wf.Move]:
    """Only the moves this person may make on this case now (the buttons on the case page)."""
    return [m for m in wf.moves_from(case.state) if move_allowed(actor, case, m)[0]]


def _deadlines(case: Case, on: dt.date, cal: WorkCalendar) -> None:
    limit = wf.STEP_LIMITS.get(case.programme_id, {}).get(case.state)
    if case.state in ("refused",):
        limit = wf.REFUSAL_NOTICE_DAYS
    if limit is not None:
        due = add_working_days(on, limit, cal)
        case.step_due, case.step_due_complete = due.due, due.calendar_complete
    else:
        case.step_due, case.step_due_complete = None, True
    if case.accepted_on and case.state not in ("approved", "withdrawn", "refused"):
        total = wf.TOTAL_LIMIT_EXTENDED if case.extension else wf.TOTAL_LIMIT
        due = add_working_days(case.accepted_on, total, cal)
        case.total_due, case.total_due_complete = due.due, due.calendar_complete
    elif case.state in ("approved", "withdrawn", "refused"):
        case.total_due = None


def _text(data: dict, key: str, zh: str, en: str, *, max_length: int = TEXT_MAX, required: bool = True) -> str:
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
    data = dict(data or {})
    on = _today(on)
    m = wf.MOVES.get(move)
    if m is None:
        raise ApplicationError("没有这个操作", "No such move", field="move", code="unknown_move")
    _ensure_scope(actor, case.area_code)
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
    _deadlines(case, on, WorkCalendar.load())
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
        action=f"case.{move}",
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
                "材料不齐全，请先一次性告知缺少的材料：" + "、".join(REQUIRED_MATERIALS[x] for x in missing),
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
    staff = list(
        Staff.objects.filter(pk__in=ids, area__code__startswith=case.area_code[:9]).exclude(
            role__in=["auditor", "finance_officer"]
        )
    )
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
    case.notice_start, case.notice_end = on, on + dt.timedelta(days=wf.NOTICE_DAYS)
    notify(
        household=case.household,
        message=f"您的{case.programme.name_zh}申请自{on:%Y年%m月%d日}起在村（社区）公示7天。",
        case=case,
    )
    return {"notice_start": on.isoformat(), "notice_end": case.notice_end.isoformat()}


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
        o.resolution = "resurvey"
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
        o.resolution = "appraisal"
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


def _decision(case: Case, on: dt.date):
    """The policy engine's decision for the case's household (for tekun: the applicant) on ``on``."""
    h = household_input(case.household)
    if case.programme_id == "tekun":
        for member in h.members:
            member.applicant = member.person_id == case.applicant_id
    return evaluate(case.programme_id, h, on)


def _review_category(case: Case, on: dt.date) -> str:
    """Yearly review for stable households; every 6 months with irregular income or a member able to work."""
    from doudi.registry.models import Income, Person

    working_age = Person.objects.filter(
        memberships__household=case.household,
        memberships__end_date__isnull=True,
        labour_capacity__in=["full", "partial"],
        student=False,
        birth_date__gt=dt.date(on.year - 60, on.month, 1),
        birth_date__lte=dt.date(on.year - 16, on.month, 1),
    ).exists()
    irregular = Income.objects.filter(household=case.household, kind__in=["business", "gift", "compensation"]).exists()
    return ReviewCategory.IRREGULAR if working_age or irregular else ReviewCategory.STABLE


def _approve(actor, case, data, on):
    ensure_not_maker(actor, case.created_by_id, what="case")
    d = _decision(case, on)
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
    category = _review_category(case, on)
    months = 6 if category == ReviewCategory.IRREGULAR else 12
    if case.kind == CaseKind.REVIEW and case.enrolment_id:
        enrolment = Enrolment.objects.select_for_update().get(pk=case.enrolment_id)
        _enrolment_change(
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
        enrolment.save()
    else:
        enrolment = Enrolment.objects.create(
            programme_id=case.programme_id,
            household=case.household,
            person=case.applicant if case.programme_id == "tekun" else None,
            case=case,
            area_code=case.area_code,
            start_month=case.payment_start,
            monthly_amount=d.monthly_amount,
            counted_members=d.counted_members,
            review_category=category,
            next_review_due=add_months(on, months),
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
        _terminate(
            enrolment,
            month=add_months(on, 1),
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
assert set(HANDLERS) == set(wf.MOVES)


# ---- dynamic management ----------------------------------------------------------------------------------------
def _enrolment_change(
    enrolment: Enrolment,
    *,
    amount: Decimal,
    month: dt.date,
    actor,
    reason: str,
    case=None,
    status: str | None = None,
    kind: str | None = None,
) -> EnrolmentChange:
    old = enrolment.monthly_amount
    if kind is None:
        kind = ChangeKind.INCREASE if amount > old else ChangeKind.DECREASE if amount < old else ChangeKind.UNCHANGED
    enrolment.monthly_amount = amount
    if status:
        enrolment.status = status
    enrolment.save()
    return EnrolmentChange.objects.create(
        enrolment=enrolment,
        kind=kind,
        from_month=month,
        old_amount=old,
        new_amount=amount,
        reason=reason[:200],
        case=case,
        actor=actor if getattr(actor, "pk", None) else None,
    )


def _terminate(enrolment: Enrolment, *, month: dt.date, actor, reason: str, case=None) -> None:
    """Stop payment from ``month`` (the last month paid is the one before); a termination is publicly noticed."""
    enrolment.end_month = add_months(month, -1)
    today = timezone.localdate()
    enrolment.termination_notice_start = today
    enrolment.termination_notice_end = today + dt.timedelta(days=wf.NOTICE_DAYS)  # ending is noticed too [D21 §28]
    _enrolment_change(
        enrolment,
        amount=ZERO,
        month=month,
        actor=actor,
        reason=reason,
        case=case,
        status=EnrolmentStatus.TERMINATED,
        kind=ChangeKind.TERMINATE,
    )
    notify(
        household=enrolment.household,
        message=f"您家的{enrolment.programme.name_zh}自{month:%Y年%m月}起终止，终止情况在村（社区）公示7天。原因：{reason}",
    )


# The details of a change report become the reason of the amount change and of an overpayment (200 characters,
# with a prefix such as "成员就业，渐退6个月："), so they are limited to 150 characters.
CHANGE_DETAILS_MAX = 150


@action
def change_report_record(
    *,
    actor,
    enrolment: Enrolment,
    kind: str,
    effective_month: dt.date,
    details: str,
    overpaid: Decimal | None = None,
    on: dt.date | None = None,
) -> ChangeReport:
    """A reported change (income, members, death, move, a member finding work, whereabouts unknown, fraud):
    re-evaluate and increase, decrease, suspend, resume or terminate from the stated month. A household that
    becomes ineligible because a member found work keeps its amount for the gradual-exit months of the
    programme's parameters [D21 §32]. Fraud terminates and records the overpayment to recover."""
    perm_require(actor, Perm.CASE_CREATE)
    _ensure_scope(actor, enrolment.area_code)
    on = _today(on)
    if kind not in ReportKind.values:
        raise ApplicationError(
            f"变化类型无效，可选：{'、'.join(ReportKind.values)}",
            f"Invalid kind of change; allowed: {', '.join(ReportKind.values)}",
            field="kind",
            code="invalid_choice",
        )
    details = text_clean(
        details,
        field="details",
        zh_label="情况说明",
        en_label="Details",
        max_length=CHANGE_DETAILS_MAX,
        required=True,
        multiline=True,
    )
    date_range_check(effective_month, field="effective_month", zh_label="起始月", en_label="Effective month")
    if overpaid is not None:
        overpaid = money_parse(
            overpaid, field="overpaid", zh_label="多发金额", en_label="Overpaid amount", positive=True
        )
    enrolment = Enrolment.objects.select_for_update().select_related("programme", "household").get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.TERMINATED:
        raise Conflict("该保障已终止", "This enrolment has ended", field="enrolment")
    month = month_start(effective_month)
    if month < enrolment.start_month:
        raise ApplicationError(
            "起始月不能早于开始发放的月份", "The month is before payment started", field="effective_month"
        )
    explanation, amount, outcome = None, enrolment.monthly_amount, ChangeKind.UNCHANGED
    if kind == ReportKind.WHEREABOUTS:
        outcome = ChangeKind.SUSPEND
        _enrolment_change(
            enrolment,
            amount=enrolment.monthly_amount,
            month=month,
            actor=actor,
            reason=details,
            status=EnrolmentStatus.SUSPENDED,
            kind=ChangeKind.SUSPEND,
        )
    elif kind == ReportKind.FRAUD:
        outcome, amount = ChangeKind.TERMINATE, ZERO
        _terminate(enrolment, month=month, actor=actor, reason=f"骗取保障金：{details}")
    else:
        case_like = enrolment.case
        d = _decision(case_like, month)
        explanation = d.as_dict()
        if d.eligible:
            amount = d.monthly_amount
            status = EnrolmentStatus.ACTIVE
            change = _enrolment_change(
                enrolment,
                amount=amount,
                month=month,
                actor=actor,
                reason=details,
                status=status,
                kind=ChangeKind.RESUME if kind == ReportKind.RESUME else None,
            )
            outcome = change.kind
        else:
            from doudi.programmes.selectors import params_in_force

            months = (
                params_in_force(enrolment.programme_id, month, enrolment.area_code).values.get("gradual_exit_months", 0)
                if enrolment.programme_id == "dibao"
                else 0
            )
            if kind == ReportKind.EMPLOYMENT and months > 0:
                outcome = ChangeKind.GRADUAL_EXIT
                enrolment.gradual_exit_until = add_months(month, months - 1)
                _enrolment_change(
                    enrolment,
                    amount=enrolment.monthly_amount,
                    month=month,
                    actor=actor,
                    reason=f"成员就业，渐退{months}个月：{details}",
                    status=EnrolmentStatus.GRADUAL_EXIT,
                    kind=ChangeKind.GRADUAL_EXIT,
                )
            else:
                outcome, amount = ChangeKind.TERMINATE, ZERO
                _terminate(enrolment, month=month, actor=actor, reason=f"不再符合条件：{details}")
    if kind == ReportKind.DEATH and enrolment.status != EnrolmentStatus.TERMINATED:
        # review within 3 months of a member's death [D21 §31]
        enrolment.next_review_due = min(enrolment.next_review_due, add_months(on, 3) - dt.timedelta(days=1))
        enrolment.save(update_fields=["next_review_due"])
    if overpaid is None:
        late = _overpaid_since(enrolment, month)
        if late > 0:
            overpaid = late  # a change reported late: what was paid since its month beyond what was due
    report = ChangeReport.objects.create(
        enrolment=enrolment,
        kind=kind,
        reported_on=on,
        effective_month=month,
        details=details,
        outcome=outcome,
        new_amount=amount,
        explanation=explanation,
        actor=actor,
    )
    if overpaid:
        Overpayment.objects.create(
            enrolment=enrolment,
            amount=overpaid,
            reason=details,
            fraud=kind == ReportKind.FRAUD,
            report=report,
            created_by=actor,
        )
    audit_record(
        actor=actor,
        action=f"enrolment.report_{kind}",
        target=enrolment,
        area_code=enrolment.area_code,
        household_id=enrolment.household_id,
        new={"outcome": outcome, "amount": amount, "month": month, "overpaid": overpaid},
    )
    return report


def _overpaid_since(enrolment: Enrolment, month: dt.date) -> Decimal:
    """Money already paid for ``month`` and later beyond what the amount history now says was due."""
    from django.db.models import Q, Sum

    from doudi.payments.generation import Change, amount_for
    from doudi.payments.models import EntryKind, LedgerEntry

    paid = (
        LedgerEntry.objects.filter(enrolment=enrolment, month__gte=month)
        .filter(Q(kind=EntryKind.PAYMENT) | Q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.PAYMENT))
        .values("month")
        .annotate(total=Sum("amount"))
    )
    changes = [Change(c.from_month, c.kind, c.new_amount) for c in enrolment.changes.order_by("from_month", "id")]
    extra = ZERO
    for row in paid:
        extra += max(row["total"] - amount_for(changes, row["month"]), ZERO)
    return extra.quantize(Decimal("0.01"))


@action
def dynamic_management_run(*, actor=None, on: dt.date | None = None) -> dict:
    """The daily job: end gradual exits that ran out, and open review cases for enrolments due for review
    (yearly, half-yearly, or within 3 months of a death). Reruns never duplicate an open review."""
    on = _today(on)
    ended = 0
    for e in Enrolment.objects.select_for_update().filter(
        status=EnrolmentStatus.GRADUAL_EXIT, gradual_exit_until__lt=month_start(on)
    ):
        _terminate(e, month=add_months(e.gradual_exit_until, 1), actor=actor, reason="渐退期满")
        ended += 1
    due = Enrolment.objects.filter(
        status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.GRADUAL_EXIT], next_review_due__lte=on
    ).exclude(reviews__state__in=wf.OPEN_STATES)
    opened = 0
    cal = WorkCalendar.load()
    for e in due.select_related("case"):
        review = Case.objects.create(
            kind=CaseKind.REVIEW,
            programme_id=e.programme_id,
            household_id=e.household_id,
            applicant_id=e.case.applicant_id,
            enrolment=e,
            area_code=e.area_code,
            state="accepted",
            accepted_on=on,
            state_since=on,
            created_by=e.case.created_by,
        )
        _deadlines(review, on, cal)
        review.save()
        CaseEvent.objects.create(
            case=review,
            on=on,
            actor=e.case.created_by,
            move="review_opened",
            from_state="",
            to_state="accepted",
            note=f"复核到期（{e.get_review_category_display()}）",
        )
        opened += 1
    audit_record(
        actor=actor,
        action="cases.daily",
        kind="batch",
        target_type="job",
        target_id=on.isoformat(),
        label="动态管理",
        new={"reviews_opened": opened, "gradual_exits_ended": ended},
    )
    return {"reviews_opened": opened, "gradual_exits_ended": ended}
