"""/api/v1 endpoints of the case workflow: thin, over the same actions and selectors as the pages. Every response
has a schema (so the OpenAPI document describes it); refusals answer with ``ErrorOut``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Router, Schema
from ninja.responses import Status

from doudi.accounts.roles import Perm
from doudi.accounts.scope import household_get, perm_require, person_get
from doudi.api.schemas import ErrorOut
from doudi.api.types import Day, FreeText, Key, PositiveMoney, Text
from doudi.core.errors import NotFound
from doudi.core.validation import DATE_MAX, DATE_MIN
from doudi.core.workdays import MAX_WORKING_DAYS, add_working_days
from doudi.programmes.shapes import CASE_PROGRAMMES as PROGRAMMES

from . import actions, selectors
from . import workflow as wf
from .actions.enrolments import CHANGE_DETAILS_MAX
from .models import Case, Channel, Department, EnrolmentStatus, ReportKind
from .moves import available_moves, own_procedure_refuse

router = Router(tags=["cases"])
REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
LIST_LIMIT = 500


MaterialCode = Literal[tuple([*wf.REQUIRED_MATERIALS, *wf.OPTIONAL_MATERIALS])]


class ReferralIn(Schema):
    department: Literal[tuple(Department.values)]
    need: Text(200, required=True)


class ApplicationIn(Schema):
    household_id: Key
    applicant_id: Key
    programmes: Annotated[list[Literal[PROGRAMMES]], Field(min_length=1, max_length=len(PROGRAMMES))]
    channel: Literal[tuple(Channel.values)] = "window"
    materials: Annotated[list[MaterialCode], Field(max_length=20)] = []
    relative_of_staff: bool = False
    relative_note: Text(200) = ""
    note: FreeText = ""
    referrals: Annotated[list[ReferralIn], Field(max_length=20)] = []


class CaseMoveIn(Schema):
    """A move is made on the day it is sent; ``version`` is the case's version the client saw. ``data`` holds
    the fields the move asks for (docs/cases.md)."""

    data: dict[str, Any] = {}
    version: Annotated[int, Field(ge=0, le=2147483647)] | None = None


class ChangeReportIn(Schema):
    kind: Literal[tuple(ReportKind.values)]
    effective_month: Day
    details: Text(CHANGE_DETAILS_MAX, required=True, multiline=True)
    overpaid: PositiveMoney | None = None


class DeadlineOut(Schema):
    due: dt.date
    calendar_complete: bool


class CaseEventOut(Schema):
    at: dt.datetime
    on: dt.date
    actor: str
    move: str
    from_state: str = Field(alias="from")
    to_state: str = Field(alias="to")
    note: str


class CaseOut(Schema):
    id: int
    kind: str
    programme: str
    household_id: int
    applicant_id: int
    state: str
    state_label: str
    version: int
    flagged: bool
    complaint: bool
    extension: bool
    accepted_on: dt.date | None
    step_due: dt.date | None
    step_due_complete: bool
    total_due: dt.date | None
    total_due_complete: bool
    notice_amount: str | None = Field(description="the amount the public notice proposes")
    decision_amount: str | None
    payment_start: dt.date | None
    refusal_reason: str
    moves: list[str] = Field(description="the moves the caller may make now")
    events: list[CaseEventOut]


class CaseListItem(Schema):
    id: int
    programme: str
    state: str
    household_id: int
    step_due: dt.date | None
    total_due: dt.date | None


class ApplicationOut(Schema):
    application_id: int
    cases: list[CaseOut]


class EnrolmentOut(Schema):
    id: int
    programme: str
    household_id: int
    status: str
    monthly_amount: str
    start_month: dt.date
    end_month: dt.date | None
    next_review_due: dt.date


class ChangeReportOut(Schema):
    id: int
    outcome: str
    new_amount: str
    effective_month: dt.date


def _money(value) -> str | None:
    return None if value is None else str(value)


def case_out(c: Case, user) -> dict:
    return {
        "id": c.pk,
        "kind": c.kind,
        "programme": c.programme_id,
        "household_id": c.household_id,
        "applicant_id": c.applicant_id,
        "state": c.state,
        "state_label": wf.STATES[c.state].zh,
        "version": c.version,
        "flagged": c.flagged,
        "complaint": c.complaint,
        "extension": c.extension,
        "accepted_on": c.accepted_on,
        "step_due": c.step_due,
        "step_due_complete": c.step_due_complete,
        "total_due": c.total_due,
        "total_due_complete": c.total_due_complete,
        "notice_amount": _money(c.notice_amount),
        "decision_amount": _money(c.decision_amount),
        "payment_start": c.payment_start,
        "refusal_reason": c.refusal_reason,
        "moves": [m.code for m in available_moves(user, c)],
        "events": [
            {
                "at": e.at,
                "on": e.on,
                "actor": e.actor.username,
                "move": e.move,
                "from": e.from_state,
                "to": e.to_state,
                "note": e.note,
            }
            for e in c.events.select_related("actor")
        ],
    }


def _case(request, pk) -> Case:
    perm_require(request.user, Perm.CASE_VIEW)
    c = selectors.cases_visible(request.user).filter(pk=pk).first()
    if c is None:
        raise NotFound()
    return c


@router.get(
    "/deadline",
    response={200: DeadlineOut, **REFUSALS},
    summary=f"The Nth working day after a date (start {DATE_MIN} – {DATE_MAX}, 0 – {MAX_WORKING_DAYS} working days)",
)
def deadline(request, start: Day, working_days: Annotated[int, Field(ge=0, le=MAX_WORKING_DAYS)]):
    """The due date ``working_days`` working days after ``start`` under the official calendar, and whether the
    calendar covers every year on the way. ``start`` from 1900-01-01 to 2099-12-31; ``working_days`` 0–250."""
    due = add_working_days(start, working_days)
    return {"due": due.due, "calendar_complete": due.calendar_complete}


@router.get(
    "/cases",
    response={200: list[CaseListItem], **REFUSALS},
    summary="Cases in the caller's area: one queue (mine, due_soon, overdue) or by state (at most 500)",
)
def case_list(
    request, queue: Literal["", "mine", "due_soon", "overdue"] = "", state: Literal[tuple(["", *wf.STATES])] = ""
):
    perm_require(request.user, Perm.CASE_VIEW)
    if queue:
        queues = selectors.case_queues(request.user)
        qs = queues[queue] if queue in queues else Case.objects.none()
    else:
        qs = selectors.cases_visible(request.user)
        if state:
            qs = qs.filter(state=state)
    return [
        {
            "id": c.pk,
            "programme": c.programme_id,
            "state": c.state,
            "household_id": c.household_id,
            "step_due": c.step_due,
            "total_due": c.total_due,
        }
        for c in qs[:LIST_LIMIT]
    ]


@router.post(
    "/applications",
    response={201: ApplicationOut, **REFUSALS},
    by_alias=True,
    summary="One-door application for one or more programmes",
)
def application_create(request, body: ApplicationIn):
    household = household_get(request.user, body.household_id)
    applicant = person_get(request.user, body.applicant_id)
    app = actions.application_submit(
        actor=request.user,
        household=household,
        applicant=applicant,
        programmes=body.programmes,
        channel=body.channel,
        materials=body.materials,
        relative_of_staff=body.relative_of_staff,
        relative_note=body.relative_note,
        note=body.note,
        referrals=body.referrals,
    )
    return Status(201, {"application_id": app.pk, "cases": [case_out(c, request.user) for c in app.cases.all()]})


@router.get("/cases/{case_id}", response={200: CaseOut, **REFUSALS}, by_alias=True)
def case_detail(request, case_id: Key):
    return case_out(_case(request, case_id), request.user)


@router.post(
    "/cases/{case_id}/moves/{move}",
    response={200: CaseOut, **REFUSALS},
    by_alias=True,
    summary="Make one move (see the case's `moves`)",
)
def case_move(request, case_id: Key, move: Literal[tuple(wf.MOVES)], body: CaseMoveIn):
    case = _case(request, case_id)
    own_procedure_refuse(case)  # a child's application or review: its own endpoints only
    c = actions.case_move(actor=request.user, case=case, move=move, data=body.data, expected_version=body.version)
    return case_out(c, request.user)


@router.get(
    "/enrolments",
    response={200: list[EnrolmentOut], **REFUSALS},
    summary="Enrolments in the caller's area, newest first, a page at a time",
)
def enrolment_list(
    request,
    status: Literal[tuple(["", *EnrolmentStatus.values])] = "",
    programme: Annotated[str, Field(max_length=16, pattern=r"^[a-z_]*$")] = "",
    area: Annotated[str, Field(pattern=r"^([0-9]{12})?$", description="12 digits")] = "",
    q: Text(60) = "",
    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Field(ge=1, le=1000)] = 1000,
):
    """Filtered as the enrolment list page: ``programme`` (its code), ``area`` (a township or village code and all
    below it), ``q`` (a name, full ID number or its last 4 characters); ``offset``/``limit`` page through them."""
    perm_require(request.user, Perm.CASE_VIEW)
    qs = selectors.enrolment_search(request.user, status=status, programme=programme, area=area, q=q)
    return [
        {
            "id": e.pk,
            "programme": e.programme_id,
            "household_id": e.household_id,
            "status": e.status,
            "monthly_amount": str(e.monthly_amount),
            "start_month": e.start_month,
            "end_month": e.end_month,
            "next_review_due": e.next_review_due,
        }
        for e in qs[offset : offset + limit]
    ]


@router.post("/enrolments/{enrolment_id}/change-reports", response={201: ChangeReportOut, **REFUSALS})
def change_report(request, enrolment_id: Key, body: ChangeReportIn):
    perm_require(request.user, Perm.CASE_VIEW)
    e = selectors.enrolments_visible(request.user).filter(pk=enrolment_id).first()
    if e is None:
        raise NotFound()
    r = actions.change_report_record(
        actor=request.user,
        enrolment=e,
        kind=body.kind,
        effective_month=body.effective_month,
        details=body.details,
        overpaid=body.overpaid,
    )
    return Status(
        201, {"id": r.pk, "outcome": r.outcome, "new_amount": str(r.new_amount), "effective_month": r.effective_month}
    )
