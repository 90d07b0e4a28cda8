"""One-door acceptance (一门受理、协同办理): an application for one or more programmes, its materials and the
one-time notice of what is missing, and referrals to other departments."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.audit.actions import audit_record
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict, NotFound
from doudi.core.validation import TEXT_MAX, text_clean
from doudi.core.workdays import add_working_days
from doudi.programmes.models import Programme
from doudi.programmes.shapes import CASE_PROGRAMMES, SHAPES

from .. import workflow as wf
from ..audit_actions import AuditAction
from ..models import (
    Application,
    Case,
    CaseEvent,
    CaseEventMove,
    CaseKind,
    Channel,
    Department,
    MaterialsNotice,
    Referral,
    SupportMode,
)
from ..notify import notify
from ..selectors import materials_missing

REFERRAL_REPLY_WORKING_DAYS = 10


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
    support_mode: str = "",
    institution: str = "",
) -> Application:
    """Record one application for one or more programmes, with referrals to other departments. Each programme
    becomes a case in draft. An application from a relative of a caseworker or village committee member is
    flagged: registered separately, and the county must visit the home before deciding [D21 §11, §22]."""
    perm_require(actor, Perm.CASE_CREATE)
    if not covers(actor, household.area_id):
        raise NotFound()
    on = on or timezone.localdate()
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
    # the programmes decided through this procedure (the others are granted as their own procedures say:
    # doudi/benefits, docs/programmes.md)
    unknown = set(programmes) - set(Programme.objects.filter(code__in=CASE_PROGRAMMES).values_list("code", flat=True))
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
    if support_mode not in ("", *SupportMode.values):
        raise ApplicationError(
            f"供养方式无效，可选：{'、'.join(SupportMode.values)}",
            f"Invalid support mode; allowed: {', '.join(SupportMode.values)}",
            field="support_mode",
            code="invalid_choice",
        )
    institution = text_clean(
        institution, field="institution", zh_label="供养机构", en_label="Institution", max_length=100
    )
    if institution and support_mode != SupportMode.CENTRALISED:
        raise ApplicationError(
            "只有集中供养才填写供养机构", "An institution is given only for centralised support", field="institution"
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
            due_on=add_working_days(on, REFERRAL_REPLY_WORKING_DAYS).due,
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
            state=wf.CaseState.DRAFT,
            state_since=on,
            # a programme with support modes (tekun) is decided by the one asked for (at home unless an
            # institution is chosen)
            support_mode=(support_mode or SupportMode.SCATTERED) if SHAPES[code].support_modes else "",
            institution=institution if SHAPES[code].support_modes else "",
        )
        CaseEvent.objects.create(
            case=case,
            on=on,
            actor=actor,
            move=CaseEventMove.CREATE,
            from_state="",
            to_state=wf.CaseState.DRAFT,
            note=note,
            data={"channel": channel, "flagged": relative_of_staff},
        )
        cases.append(case.pk)
    audit_record(
        actor=actor,
        action=AuditAction.APPLICATION_SUBMIT,
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
            **(
                {"support_mode": support_mode or SupportMode.SCATTERED, "institution": institution}
                if any(SHAPES[code].support_modes for code in programmes)
                else {}
            ),
        },
    )
    return application


def _materials(items) -> list[str]:
    if not isinstance(items, (list, tuple)) or not all(isinstance(m, str) for m in items):
        raise ApplicationError(
            "材料应为材料代码的列表", "materials must be a list of codes", field="materials", code="invalid_choice"
        )
    bad = set(items) - set(wf.REQUIRED_MATERIALS) - set(wf.OPTIONAL_MATERIALS)
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


@action
def materials_notice_issue(*, actor, application: Application, on: dt.date | None = None) -> MaterialsNotice:
    """One notice listing every missing item at once (一次性告知) [D21 §10]."""
    perm_require(actor, Perm.CASE_CREATE)
    if not covers(actor, application.area_code):
        raise NotFound()
    missing = materials_missing(application)
    if not missing:
        raise ApplicationError("材料已齐全，无需告知", "All materials are in; no notice needed", field="materials")
    notice = MaterialsNotice.objects.create(
        application=application, missing=missing, issued_on=on or timezone.localdate(), issued_by=actor
    )
    text = "、".join(wf.REQUIRED_MATERIALS[m] for m in missing)
    notify(household=application.household, message=f"您的社会救助申请还需补充以下材料（一次性告知）：{text}。")
    audit_record(
        actor=actor,
        action=AuditAction.MATERIALS_NOTICE,
        target=application,
        area_code=application.area_code,
        household_id=application.household_id,
        new={"missing": missing},
    )
    return notice


@action
def materials_add(*, actor, application: Application, items: list[str]) -> Application:
    perm_require(actor, Perm.CASE_CREATE)
    if not covers(actor, application.area_code):
        raise NotFound()
    items = _materials(items)
    old = list(application.materials)
    application.materials = sorted(set(old) | set(items))
    application.save(update_fields=["materials"])
    audit_record(
        actor=actor,
        action=AuditAction.MATERIALS_ADD,
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
    if not covers(actor, referral.application.area_code):
        raise NotFound()
    answer = text_clean(
        answer,
        field="answer",
        zh_label="部门答复",
        en_label="The department's answer",
        max_length=TEXT_MAX,
        required=True,
        multiline=True,
    )
    referral.answer, referral.answered_on = answer, on or timezone.localdate()
    referral.save(update_fields=["answer", "answered_on"])
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_ANSWER,
        target=referral,
        label=referral.get_department_display(),
        area_code=referral.application.area_code,
        household_id=referral.application.household_id,
        new={"answer": referral.answer},
    )
    return referral
