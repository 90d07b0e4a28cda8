"""Temporary assistance whole (domain.md §5; docs/programmes.md): the 12349 hotline's calls, the application where
the hardship happened, the same cause once a calendar year (checked here and by the database), approval by amount
(the township up to 2 × S, the county above), and the emergency paid first with its paperwork tracked to its
deadline in working days."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import area_get, covers, perm_require
from doudi.areas.models import Area, AreaLevel
from doudi.audit.actions import audit_record
from doudi.cases.models import Department
from doudi.core.actions import action
from doudi.core.crypto import blind_index
from doudi.core.errors import ApplicationError, Conflict, NotFound
from doudi.core.idnumber import id_parse
from doudi.core.money import money_parse, month_start
from doudi.core.validation import date_range_check, text_clean
from doudi.core.workdays import add_working_days
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.inputs import HARDSHIP_KINDS, Hardship
from doudi.programmes.rules.registry_input import household_input
from doudi.registry.models import Household, Membership, Person

from .actions import grant_record
from .events import BenefitEvent
from .models import CallOutcome, HotlineCall, TemporaryAssistance, TemporaryState

DEPARTMENTS = tuple(Department.values)


@action
def hotline_call_record(
    *,
    actor,
    caller_name: str,
    caller_phone: str,
    area_code: str,
    need: str,
    outcome: str,
    department: str = "",
    note: str = "",
    received_at: dt.datetime | None = None,
) -> HotlineCall:
    """Record a 12349 call: the caller, where the hardship is, the need, and the outcome (an application for
    temporary assistance follows with ``temporary_apply``; a referral names the department)."""
    perm_require(actor, Perm.CASE_CREATE)
    area = area_get(actor, area_code)
    name = text_clean(
        caller_name, field="caller_name", zh_label="求助人", en_label="Caller", max_length=50, required=True
    )
    phone = (caller_phone or "").strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 20):
        raise ApplicationError("联系电话应为7至20位数字", "The phone is 7 to 20 digits", field="caller_phone")
    need = text_clean(
        need, field="need", zh_label="困难和诉求", en_label="Need", max_length=1000, required=True, multiline=True
    )
    if outcome not in CallOutcome.values:
        raise ApplicationError(
            f"处理结果可选：{'、'.join(CallOutcome.values)}", "Invalid outcome", field="outcome", code="invalid_choice"
        )
    if outcome == CallOutcome.REFERRAL and department not in DEPARTMENTS:
        raise ApplicationError("转介须选择部门", "A referral names the department", field="department")
    note = text_clean(note, field="note", zh_label="处理说明", en_label="Note", max_length=200)
    call = HotlineCall.objects.create(
        received_at=received_at or timezone.now(),
        taken_by=actor,
        caller_name=name,
        caller_phone=phone,
        area_code=area.code,
        need=need,
        outcome=outcome,
        department=department if outcome == CallOutcome.REFERRAL else "",
        note=note,
    )
    audit_record(
        actor=actor,
        action=BenefitEvent.HOTLINE_CALL,
        target=call,
        area_code=area.code,
        new={"caller_name": name, "outcome": outcome, "department": call.department},
    )
    return call


def applicant_by_id_number(actor, id_number: str) -> Membership:
    """The current membership of the person holding ``id_number``, in any township of the actor's county: an
    application where the hardship happened, away from the household's own township (domain.md §5). Found only by
    the whole ID number the applicant shows at the window (checked first), never by a part of it or a name; a
    number not registered in the county answers as not found."""
    perm_require(actor, Perm.CASE_CREATE)
    number = id_parse(id_number, field="id_number").number
    county = actor.scope_prefix[:6]
    member = (
        Membership.objects.filter(
            person__id_index=blind_index(number, domain="id_number"),
            end_date__isnull=True,
            household__area__code__startswith=county,
        )
        .select_related("person", "household")
        .first()
        if len(county) == 6
        else None
    )
    if member is None:
        raise NotFound(
            "在本县登记人员中找不到此身份证号", "No one of the county's registry has this ID number", field="id_number"
        )
    return member


def handling_area(household: Household, hardship_area: str) -> str:
    """Who handles an application (its scope): the household's own area when the hardship happened in its
    township, else the township where it happened (domain.md §5: apply where the hardship happens)."""
    if household.area_id[:9] == hardship_area[:9]:
        return household.area_id
    return hardship_area[:9] + "000"


def _hardship_area(household: Household, code: str | None, call: HotlineCall | None) -> str:
    """The place of the hardship: as given, else the hotline call's, else the household's area; an area of the
    household's county."""
    if not code:
        return call.area_code if call is not None else household.area_id
    code = str(code).strip()
    places = Area.objects.filter(code=code, level__in=[AreaLevel.TOWNSHIP, AreaLevel.VILLAGE])
    if code[:6] != household.area_id[:6] or not places.exists():
        raise ApplicationError(
            "困难发生地须为本县的乡镇（街道）或村（社区）",
            "The place of the hardship is an area of the county",
            field="hardship_area",
        )
    return code


def same_cause_this_year(household: Household, cause: str, year: int) -> bool:
    return (
        TemporaryAssistance.objects.filter(household=household, cause=cause, year=year)
        .exclude(state=TemporaryState.REFUSED)
        .exists()
    )


@action
def temporary_apply(
    *,
    actor,
    household: Household,
    person: Person,
    kind: str,
    cause: str,
    hardship_date: dt.date,
    loss="0",
    rigid_expenses="0",
    reimbursed="0",
    call: HotlineCall | None = None,
    hardship_area: str | None = None,
) -> TemporaryAssistance:
    """Register an application where the hardship happened (``hardship_area``, a village or township of the
    county; the hotline call's area, else the household's, when not given): the township where it happened handles
    it — its staff apply, review, pay first and approve, and it is paid from there — when that is not the
    household's own township (``handling_area``). The policy engine decides the amount, the approval level and
    whether it may be paid first. Refused (nothing saved) when not eligible, naming the reasons — including the
    same cause already assisted this calendar year."""
    perm_require(actor, Perm.CASE_CREATE)
    place = _hardship_area(household, hardship_area, call)
    handler = handling_area(household, place)
    if not covers(actor, handler):
        raise NotFound(field="household")
    if not Membership.objects.filter(household=household, person=person, end_date__isnull=True).exists():
        raise ApplicationError("申请人不是该户现有成员", "The applicant is not a current member", field="person")
    if kind not in HARDSHIP_KINDS:
        raise ApplicationError(
            "救助类型可选：emergency、expenditure", "Invalid kind", field="kind", code="invalid_choice"
        )
    cause = text_clean(cause, field="cause", zh_label="致困原因", en_label="Cause", max_length=100, required=True)
    date_range_check(hardship_date, field="hardship_date", zh_label="困难发生日期", en_label="Date of hardship")
    if hardship_date > timezone.localdate():
        raise ApplicationError(
            "困难发生日期不能晚于今天", "The hardship cannot be in the future", field="hardship_date"
        )
    amounts = {
        name: money_parse(value, field=name, zh_label=label, en_label=name)
        for name, value, label in (
            ("loss", loss, "损失金额"),
            ("rigid_expenses", rigid_expenses, "刚性支出"),
            ("reimbursed", reimbursed, "已获赔偿或报销"),
        )
    }
    if call is not None and (call.outcome != CallOutcome.APPLICATION or hasattr(call, "assistance")):
        raise Conflict("该来电不是待转申请的来电", "The call is not one to turn into an application", field="call")
    repeated = same_cause_this_year(household, cause, hardship_date.year)
    hardship = Hardship(
        kind, cause, amounts["loss"], amounts["rigid_expenses"], amounts["reimbursed"], hardship_date, repeated
    )
    decision = evaluate("temporary", replace(household_input(household), hardship=hardship), hardship_date)
    if not decision.eligible:
        reasons = "；".join(r["zh"] for r in decision.reasons_ineligible) or "不符合条件"
        raise ApplicationError(f"不符合临时救助条件：{reasons}", "Not eligible", field="cause", code="not_eligible")
    ta = TemporaryAssistance.objects.create(
        household=household,
        applicant=person,
        area_code=handler,
        hardship_area_code=place,
        call=call,
        kind=kind,
        cause=cause,
        year=hardship_date.year,
        hardship_date=hardship_date,
        amount=decision.amount,
        approval_level=decision.result["approval_level"],
        fast_track=decision.result["fast_track"],
        decision=decision.as_dict(),
        created_by=actor,
        **amounts,
    )
    audit_record(
        actor=actor,
        action=BenefitEvent.TEMPORARY_APPLY,
        target=ta,
        area_code=handler,
        household_id=household.pk,
        new={
            "hardship_area_code": place,
            "kind": kind,
            "cause": cause,
            "amount": ta.amount,
            "approval_level": ta.approval_level,
            "fast_track": ta.fast_track,
        },
    )
    return ta


def _locked(ta: TemporaryAssistance, state: str) -> TemporaryAssistance:
    ta = TemporaryAssistance.objects.select_for_update().get(pk=ta.pk)
    if ta.state != state:
        raise Conflict("状态已变化，请刷新", "The state changed: reload", field="state")
    return ta


def _pay(actor, ta: TemporaryAssistance, on: dt.date, note: str):
    return grant_record(
        actor=actor,
        programme="temporary",
        household=ta.household,
        person=ta.applicant,
        on=on,
        month=month_start(on),
        amount=ta.amount,
        decision=ta.decision,
        note=note,
        area_code=ta.area_code,  # paid by the township that handles it
    )


@action
def temporary_pay_first(*, actor, ta: TemporaryAssistance, on: dt.date | None = None) -> TemporaryAssistance:
    """Emergency paid first (先行救助): the township pays at once (its reviewer), and the record, reason, amount
    and signatures are due within the programme's paperwork working days (param paperwork_working_days)."""
    perm_require(actor, Perm.CASE_TOWNSHIP_REVIEW)
    if not covers(actor, ta.area_code):
        raise NotFound(field="ta")
    ta = _locked(ta, TemporaryState.AWAITING)
    if not ta.fast_track:
        raise ApplicationError(
            "该救助不能先行救助（须为急难型且不超过乡镇审批权限）", "Not to be paid first", field="state"
        )
    on = on or timezone.localdate()
    ta.enrolment = _pay(actor, ta, on, f"先行救助：{ta.cause}")
    days = ta.decision.get("paperwork_working_days") or 5
    ta.paperwork_due = add_working_days(on, days).due
    ta.state, ta.decided_by = TemporaryState.PAID_FIRST, actor
    ta.save()
    audit_record(
        actor=actor,
        action=BenefitEvent.TEMPORARY_PAY_FIRST,
        target=ta,
        area_code=ta.area_code,
        household_id=ta.household_id,
        new={"amount": ta.amount, "paperwork_due": ta.paperwork_due},
    )
    return ta


@action
def temporary_decide(
    *, actor, ta: TemporaryAssistance, approve: bool, reason: str = "", on: dt.date | None = None
) -> TemporaryAssistance:
    """Approve (and pay this month) or refuse: the township's reviewer up to its limit, the county's approver
    above it (the approval level the policy engine gave)."""
    perm_require(actor, Perm.CASE_TOWNSHIP_REVIEW if ta.approval_level == "township" else Perm.CASE_DECIDE)
    if not covers(actor, ta.area_code):
        raise NotFound(field="ta")
    ta = _locked(ta, TemporaryState.AWAITING)
    on = on or timezone.localdate()
    if approve:
        ta.enrolment = _pay(actor, ta, on, f"临时救助：{ta.cause}")
        ta.state = TemporaryState.APPROVED
    else:
        ta.refusal_reason = text_clean(
            reason, field="reason", zh_label="不予救助理由", en_label="Reason", max_length=200, required=True
        )
        ta.state = TemporaryState.REFUSED
    ta.decided_by = actor
    ta.save()
    audit_record(
        actor=actor,
        action=BenefitEvent.TEMPORARY_DECIDE,
        target=ta,
        area_code=ta.area_code,
        household_id=ta.household_id,
        new={"state": ta.state, "amount": ta.amount, "refusal_reason": ta.refusal_reason},
    )
    return ta


@action
def temporary_paperwork_complete(
    *, actor, ta: TemporaryAssistance, record: str, on: dt.date | None = None
) -> TemporaryAssistance:
    """The paperwork of a payment made first: the record, reason, amount and signatures, on or after the day paid
    (late when after its deadline — shown, not refused)."""
    perm_require(actor, Perm.CASE_HANDLE)
    if not covers(actor, ta.area_code):
        raise NotFound(field="ta")
    ta = _locked(ta, TemporaryState.PAID_FIRST)
    ta.paperwork_record = text_clean(
        record, field="record", zh_label="补办记录", en_label="Record", max_length=2000, required=True, multiline=True
    )
    ta.paperwork_done_on = on or timezone.localdate()
    ta.state = TemporaryState.DOCUMENTED
    ta.save()
    audit_record(
        actor=actor,
        action=BenefitEvent.TEMPORARY_PAPERWORK,
        target=ta,
        area_code=ta.area_code,
        household_id=ta.household_id,
        new={
            "paperwork_done_on": ta.paperwork_done_on,
            "paperwork_due": ta.paperwork_due,
            "late": ta.paperwork_done_on > ta.paperwork_due,
        },
    )
    return ta
