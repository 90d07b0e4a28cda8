"""/api/v1 for temporary assistance and the 12349 hotline (benefits/temporary.py): calls recorded and listed, an
application where the hardship happened (the policy engine gives the amount, the approval level and whether it
may be paid first), payment first, approval or refusal, and the paperwork of a payment made first — the same
actions, scope and audit as the pages (/temporary/)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Router, Schema
from ninja.responses import Status

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.benefits import selectors, temporary
from doudi.benefits.models import CallOutcome, TemporaryAssistance, TemporaryState
from doudi.cases.models import Department
from doudi.core.errors import ApplicationError
from doudi.core.idnumber import phone_mask
from doudi.core.labels import explanation_lines
from doudi.programmes.rules.inputs import HARDSHIP_KINDS

from .schemas import ErrorOut
from .types import AreaCode, Day, Key, Money, Text

router = Router(tags=["temporary assistance"])
REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class CallIn(Schema):
    caller_name: Text(50, required=True)
    caller_phone: Annotated[str, Field(max_length=20, pattern=r"^[0-9]*$", description="7–20 digits, or empty")] = ""
    area_code: AreaCode = Field(description="the village or community where the hardship is")
    need: Text(1000, required=True, multiline=True)
    outcome: Literal[tuple(CallOutcome.values)] = Field(
        description="application: an application follows; referral: to `department`; advice: answered"
    )
    department: Literal[("", *Department.values)] = ""
    note: Text(200) = ""


class CallOut(Schema):
    id: int
    received_at: dt.datetime
    caller_name: str
    caller_phone: str = Field(description="masked: the first 3 and last 4 digits")
    area_code: str
    need: str
    outcome: str
    department: str
    note: str
    assistance_id: int | None = Field(description="the application made from this call, if any")


class TemporaryIn(Schema):
    household_id: Key | None = Field(None, description="a household of one's area (or give applicant_id_number)")
    applicant_id: Key | None = Field(None, description="a current member of the household")
    applicant_id_number: str | None = Field(
        None,
        max_length=30,
        description="applying where the hardship happened, away from home: the applicant's whole ID number, "
        "a person registered in any township of the county (instead of household_id and applicant_id)",
    )
    hardship_area: str | None = Field(
        None,
        max_length=12,
        description="where the hardship happened (a village or township code of the county); the call's area, else "
        "the household's, when not given. Outside the household's township, that township handles it",
    )
    kind: Literal[HARDSHIP_KINDS] = Field(description="emergency (accident, fire, sudden illness) or expenditure")
    cause: Text(100, required=True) = Field(description="the same cause is assisted once a calendar year")
    hardship_date: Day
    loss: Money = Field("0", description="emergency: the loss, yuan")
    rigid_expenses: Money = Field("0", description="expenditure: the rigid expenses, yuan")
    reimbursed: Money = Field("0", description="compensation or reimbursement received, yuan")
    call_id: Key | None = Field(None, description="the 12349 call it follows, whose outcome was application")


class TemporaryOut(Schema):
    id: int
    household_id: int
    applicant_id: int
    applicant: str
    area_code: str = Field(description="who handles it: the household's area, or the township of the hardship")
    hardship_area_code: str = Field(description="where the hardship happened")
    call_id: int | None
    kind: str
    cause: str
    hardship_date: dt.date
    loss: str
    rigid_expenses: str
    reimbursed: str
    amount: str = Field(description="yuan, two decimals: the policy engine's amount")
    approval_level: Literal[("township", "county")]
    fast_track: bool = Field(description="may be paid first by the township, the paperwork following")
    state: Literal[tuple(TemporaryState.values)]
    paperwork_due: dt.date | None
    paperwork_done_on: dt.date | None
    refusal_reason: str
    enrolment_id: int | None = Field(description="the one-off payment, once paid or approved")
    explanation: list[str] = Field(description="the amount worked out step by step, in the caller's language")


class ActIn(Schema):
    reason: Text(200) = Field("", description="refuse: why (required)")
    record: Text(2000, multiline=True) = Field("", description="paperwork: the record, reason, amount, signatures")


def _call_out(c) -> dict:
    return {
        "id": c.pk,
        "received_at": c.received_at,
        "caller_name": c.caller_name,
        "caller_phone": phone_mask(c.caller_phone) if c.caller_phone else "",
        "area_code": c.area_code,
        "need": c.need,
        "outcome": c.outcome,
        "department": c.department,
        "note": c.note,
        "assistance_id": getattr(getattr(c, "assistance", None), "pk", None),
    }


def _out(ta: TemporaryAssistance) -> dict:
    return {
        "id": ta.pk,
        "household_id": ta.household_id,
        "applicant_id": ta.applicant_id,
        "applicant": ta.applicant.name,
        "area_code": ta.area_code,
        "hardship_area_code": ta.hardship_area_code,
        "call_id": ta.call_id,
        "kind": ta.kind,
        "cause": ta.cause,
        "hardship_date": ta.hardship_date,
        "loss": f"{ta.loss:.2f}",
        "rigid_expenses": f"{ta.rigid_expenses:.2f}",
        "reimbursed": f"{ta.reimbursed:.2f}",
        "amount": f"{ta.amount:.2f}",
        "approval_level": ta.approval_level,
        "fast_track": ta.fast_track,
        "state": ta.state,
        "paperwork_due": ta.paperwork_due,
        "paperwork_done_on": ta.paperwork_done_on,
        "refusal_reason": ta.refusal_reason,
        "enrolment_id": ta.enrolment_id,
        "explanation": explanation_lines(ta.decision),
    }


@router.get("/hotline-calls", response=list[CallOut], summary="12349 calls in one's area, newest first")
def call_list(
    request,
    outcome: Literal[tuple(CallOutcome.values)] | None = None,
    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Field(ge=1, le=1000)] = 100,
):
    perm_require(request.user, Perm.CASE_VIEW)
    qs = selectors.call_list(request.user).select_related("assistance")
    if outcome:
        qs = qs.filter(outcome=outcome)
    return [_call_out(c) for c in qs[offset : offset + limit]]


@router.post("/hotline-calls", response={201: CallOut, **REFUSALS}, summary="Record a 12349 call")
def call_create(request, body: CallIn):
    call = temporary.hotline_call_record(
        actor=request.user,
        caller_name=body.caller_name,
        caller_phone=body.caller_phone,
        area_code=body.area_code,
        need=body.need,
        outcome=body.outcome,
        department=body.department,
        note=body.note,
    )
    return Status(201, _call_out(call))


@router.get("/temporary", response=list[TemporaryOut], summary="Temporary assistance in one's area")
def temporary_list(
    request,
    state: Literal[tuple(TemporaryState.values)] | None = None,
    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Field(ge=1, le=1000)] = 100,
):
    """Open paperwork first by its deadline, then the newest; ``state`` filters (paid_first: the paperwork to
    complete)."""
    perm_require(request.user, Perm.CASE_VIEW)
    qs = selectors.temporary_list(request.user)
    if state:
        qs = qs.filter(state=state)
    return [_out(ta) for ta in qs[offset : offset + limit]]


@router.get("/temporary/{ta_id}", response={200: TemporaryOut, **REFUSALS})
def temporary_detail(request, ta_id: Key):
    perm_require(request.user, Perm.CASE_VIEW)
    return _out(selectors.temporary_get(request.user, ta_id))


@router.post("/temporary", response={201: TemporaryOut, **REFUSALS}, summary="Apply where the hardship happened")
def temporary_create(request, body: TemporaryIn):
    """Refused, nothing saved, when not eligible (the reasons named), including the same cause already assisted
    this calendar year."""
    if body.applicant_id_number:
        person = temporary.applicant_by_id_number(request.user, body.applicant_id_number)
        household = person.household
    else:
        if body.household_id is None or body.applicant_id is None:
            raise ApplicationError(
                "请填写家庭编号和申请人，或申请人身份证号",
                "Give household_id and applicant_id, or applicant_id_number",
                field="household_id" if body.household_id is None else "applicant_id",
            )
        household = scope.household_get(request.user, body.household_id)
        person = household.memberships.filter(person_id=body.applicant_id, end_date__isnull=True).first()
        if person is None:
            raise ApplicationError(
                "申请人不是该户现有成员", "The applicant is not a current member", field="applicant_id"
            )
    call = selectors.call_get(request.user, body.call_id) if body.call_id else None
    ta = temporary.temporary_apply(
        actor=request.user,
        household=household,
        person=person.person,
        hardship_area=body.hardship_area,
        kind=body.kind,
        cause=body.cause,
        hardship_date=body.hardship_date,
        loss=body.loss,
        rigid_expenses=body.rigid_expenses,
        reimbursed=body.reimbursed,
        call=call,
    )
    return Status(201, _out(selectors.temporary_get(request.user, ta.pk)))


@router.post(
    "/temporary/{ta_id}/{verb}",
    response={200: TemporaryOut, **REFUSALS},
    summary="pay-first | approve | refuse | paperwork",
)
def temporary_act(
    request, ta_id: Key, verb: Literal["pay-first", "approve", "refuse", "paperwork"], body: ActIn | None = None
):
    """pay-first: the township's reviewer pays an emergency within its limit at once, the paperwork due within
    the programme's working days; approve / refuse: the township's reviewer within its limit, the county's
    approver above it; paperwork: the record of a payment made first (late is shown, not refused)."""
    ta = scope.get_actionable(request.user, "benefits.TemporaryAssistance", ta_id)
    body = body or ActIn()
    if verb == "pay-first":
        temporary.temporary_pay_first(actor=request.user, ta=ta)
    elif verb == "approve":
        temporary.temporary_decide(actor=request.user, ta=ta, approve=True)
    elif verb == "refuse":
        temporary.temporary_decide(actor=request.user, ta=ta, approve=False, reason=body.reason)
    else:
        temporary.temporary_paperwork_complete(actor=request.user, ta=ta, record=body.record)
    return _out(selectors.temporary_get(request.user, ta_id))
