"""/api/v1 for the old-age allowance rosters confirmed by the village (rosters.py): the month's villages, one
village's roster, and its confirmation; and for the children's allowance (children.py): the children paid, a
child's parents' situations with the rules on them, and a review's decision; and for veterans' periodic payments
(veterans.py): the roster with filters, one person's entitlement with its amount history, prison terms and grants,
suspension and resumption, and the year's one-off grants — the same selectors, actions, scope and audit as the
pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.api.schemas import LinesMovedOut, lines_moved_out
from doudi.api.types import MONTH_PATTERN, Account, Day, Key, Text
from doudi.core.idnumber import id_mask
from doudi.core.labels import explanation_lines
from doudi.core.validation import month_clean
from doudi.programmes.shapes.veterans import CATEGORY_CODES, CAUSE_CODES, GRANT_CODES

from . import children, children_applications, selectors, veterans
from .models import ParentRole, ParentSituation, ParentStatus, RosterMark
from .rosters import NOTE_MAX, Mark, elderly_roster_confirm
from .selectors import STATUSES, status_of

router = Router(tags=["benefits"])

MARKS = tuple(m for m in RosterMark.values if m != RosterMark.PENDING)


class ElderlyRosterOut(Schema):
    id: int
    area_code: str
    month: dt.date
    state: Literal[("open", "confirmed")]
    people: int
    total: str = Field(description="yuan, two decimals")
    marks: dict[str, int] = Field(description="people by mark: pending, present, moved, died, disputed")
    confirmed_at: dt.datetime | None


class LineOut(Schema):
    id: int
    person_id: int
    name: str
    id_number: str = Field(description="masked: the first 6 and last 4 characters")
    birth_date: dt.date | None
    amount: str
    mark: Literal[tuple(RosterMark.values)]
    note: str


class RosterDetailOut(ElderlyRosterOut):
    lines: list[LineOut]


class MarkIn(Schema):
    line_id: Key
    mark: Literal[MARKS]
    note: Text(NOTE_MAX) = ""


class ConfirmIn(Schema):
    lines: list[MarkIn] = Field(max_length=20_000, description="every person of the roster, each once")


def _out(r, lines=None) -> dict:
    if lines is None:
        counts = {m: getattr(r, f"n_{m}") for m in RosterMark.values}
        people, total = r.people, r.total or 0
    else:
        counts = {m: sum(1 for x in lines if x.mark == m) for m in RosterMark.values}
        people, total = len(lines), sum((x.amount for x in lines), start=0)
    data = {
        "id": r.pk,
        "area_code": r.area_code,
        "month": r.month,
        "state": r.state,
        "people": people,
        "total": f"{total:.2f}",
        "marks": counts,
        "confirmed_at": r.confirmed_at,
    }
    if lines is not None:
        data["lines"] = [
            {
                "id": x.pk,
                "person_id": x.person_id,
                "name": x.person.name,
                "id_number": id_mask(x.person.id_number),
                "birth_date": x.person.birth_date,
                "amount": f"{x.amount:.2f}",
                "mark": x.mark,
                "note": x.note,
            }
            for x in lines
        ]
    return data


@router.get(
    "/elderly-rosters", response=list[ElderlyRosterOut], summary="The month's village rosters, not confirmed first"
)
def roster_list(request, month: Annotated[str, Field(pattern=MONTH_PATTERN, description="YYYY-MM")]):
    perm_require(request.user, Perm.CASE_VIEW)
    m = month_clean(month, field="month", zh_label="名册月份", en_label="Month")
    return [_out(r) for r in selectors.rosters_of_month(request.user, m)]


@router.get("/elderly-rosters/{roster_id}", response=RosterDetailOut)
def roster_detail(request, roster_id: Key):
    perm_require(request.user, Perm.CASE_VIEW)
    roster = selectors.roster_get(request.user, roster_id)
    return _out(roster, list(selectors.roster_lines(roster)))


@router.post(
    "/elderly-rosters/{roster_id}/confirm",
    response=RosterDetailOut,
    summary="The village confirms its roster: every person marked, whole or nothing",
)
def roster_confirm(request, roster_id: Key, body: ConfirmIn):
    perm_require(request.user, Perm.ROSTER_CONFIRM)
    roster = selectors.roster_get(request.user, roster_id)
    marks = [Mark(x.line_id, x.mark, x.note) for x in body.lines]
    roster = elderly_roster_confirm(actor=request.user, roster=roster, marks=marks)
    return _out(roster, list(selectors.roster_lines(roster)))


# ---- veterans' periodic payments -----------------------------------------------------------------------------


class VeteranOut(Schema):
    id: int
    person_id: int
    name: str
    area_code: str
    category: Literal[CATEGORY_CODES]
    grade: int | None
    cause: Literal[CAUSE_CODES] | None = Field(
        description="a disabled serviceman's cause of disability: war 因战, duty 因公, illness 因病; null otherwise"
    )
    status: Literal[tuple(code for code, _label in STATUSES)]
    start_month: dt.date
    monthly_amount: str | None = Field(description="yuan, two decimals; null: one-off grants only")


class AmountChangeOut(Schema):
    from_month: dt.date
    kind: str
    amount: str
    reason: str


class TermOut(Schema):
    started_on: dt.date
    released_on: dt.date | None


class VeteranGrantOut(Schema):
    kind: Literal[GRANT_CODES]
    year: int
    month: dt.date
    amount: str


class VeteranDetailOut(VeteranOut):
    certificate_no: str
    changes: list[AmountChangeOut]
    prison_terms: list[TermOut]
    grants: list[VeteranGrantOut]


class VeteranIn(Schema):
    person_id: Key = Field(description="a current household member of your area")
    category: Literal[CATEGORY_CODES]
    grade: Annotated[int, Field(ge=1, le=10)] | None = Field(None, description="a disabled serviceman's grade, 1–10")
    cause: Literal[CAUSE_CODES] | None = Field(
        None,
        description="a disabled serviceman's cause of disability (required for them): war 因战, duty 因公, illness "
        "因病 (grades 1–6 only: a grade 7–10 disability from illness carries no pension)",
    )
    start_month: Annotated[str, Field(pattern=MONTH_PATTERN, description="YYYY-MM: paid from this month")]
    certificate_no: Text(40) = ""
    bank_account: Annotated[str, Field(max_length=30, pattern=r"^[0-9 ]*$")] = Field(
        "", description="the person's own account (empty: the household's)"
    )
    account_holder: Text(50) = ""


class CorrectIn(Schema):
    grade: Annotated[int, Field(ge=1, le=10)]
    cause: Literal[CAUSE_CODES]
    from_month: Annotated[str, Field(pattern=MONTH_PATTERN, description="YYYY-MM: the new amount from this month")]
    reason: Text(200)


class DecideIn(Schema):
    reason: Text(200) = Field("", description="refuse: why (required)")


class SuspendIn(Schema):
    started_on: Day
    note: Text(200) = ""


class ResumeIn(Schema):
    released_on: Day


class GrantsIn(Schema):
    kind: Literal[GRANT_CODES]
    month: Annotated[str, Field(pattern=MONTH_PATTERN, description="YYYY-MM: the payroll month that pays it")]


class GrantsOut(Schema):
    kind: str
    year: int
    month: dt.date
    added: int
    already: int = Field(description="granted before for the same year: not again")
    total: str
    batch_id: str


def _veteran_out(v, detail: bool = False) -> dict:
    data = {
        "id": v.pk,
        "person_id": v.person_id,
        "name": v.person.name,
        "area_code": v.area_code,
        "category": v.category,
        "grade": v.grade,
        "cause": v.cause or None,
        "status": status_of(v),
        "start_month": v.start_month,
        "monthly_amount": f"{v.enrolment.monthly_amount:.2f}" if v.enrolment else None,
    }
    if detail:
        changes = v.enrolment.changes.order_by("from_month", "id") if v.enrolment else []
        data.update(
            certificate_no=v.certificate_no,
            changes=[
                {"from_month": c.from_month, "kind": c.kind, "amount": f"{c.new_amount:.2f}", "reason": c.reason}
                for c in changes
            ],
            prison_terms=[{"started_on": t.started_on, "released_on": t.released_on} for t in v.prison_terms.all()],
            grants=[
                {"kind": g.kind, "year": g.year, "month": g.month, "amount": f"{g.amount:.2f}"} for g in v.grants.all()
            ],
        )
    return data


@router.get("/veterans", response=list[VeteranOut], summary="The area's entitled people, filtered")
def veterans_list_api(
    request,
    category: Literal[("", *CATEGORY_CODES)] = "",
    status: Literal[("", *(code for code, _label in STATUSES))] = "",
    area: Annotated[str, Field(pattern=r"^([0-9]{12})?$")] = "",
    q: Text(30) = "",
    cause: Literal[("", *CAUSE_CODES)] = "",
):
    perm_require(request.user, Perm.CASE_VIEW)
    rows = selectors.veterans_list(request.user, category=category, status=status, area=area, q=q, cause=cause)[:2000]
    return [_veteran_out(v) for v in rows]


@router.get("/veterans/{veteran_id}", response=VeteranDetailOut)
def veteran_detail_api(request, veteran_id: Key):
    perm_require(request.user, Perm.CASE_VIEW)
    return _veteran_out(selectors.veteran_get(request.user, veteran_id), detail=True)


@router.post(
    "/veterans", response={201: VeteranDetailOut}, summary="The township enters an entitled person (pending approval)"
)
def veteran_enter_api(request, body: VeteranIn):
    person = scope.person_get(request.user, body.person_id)
    v = veterans.veteran_enter(
        actor=request.user,
        person=person,
        category=body.category,
        grade=body.grade,
        cause=body.cause,
        start_month=month_clean(body.start_month, field="start_month", zh_label="发放起始月", en_label="Start month"),
        certificate_no=body.certificate_no,
        bank_account=body.bank_account,
        account_holder=body.account_holder,
    )
    return Status(201, _veteran_out(selectors.veteran_get(request.user, v.pk), detail=True))


def _decide(request, veteran_id: int, approve: bool, reason: str) -> dict:
    perm_require(request.user, Perm.CASE_DECIDE)
    v = scope.get_actionable(request.user, "benefits.VeteranEntitlement", veteran_id)
    veterans.veteran_decide(actor=request.user, entitlement=v, approve=approve, on=timezone.localdate(), reason=reason)
    return _veteran_out(selectors.veteran_get(request.user, veteran_id), detail=True)


@router.post(
    "/veterans/{veteran_id}/approve",
    response=VeteranDetailOut,
    summary="The county approves an entered person (not the one who entered it): paid from its start month",
)
def veteran_approve_api(request, veteran_id: Key):
    return _decide(request, veteran_id, True, "")


@router.post("/veterans/{veteran_id}/refuse", response=VeteranDetailOut, summary="The county refuses, with the reason")
def veteran_refuse_api(request, veteran_id: Key, body: DecideIn):
    return _decide(request, veteran_id, False, body.reason)


@router.post(
    "/veterans/{veteran_id}/correct",
    response=VeteranDetailOut,
    summary="The county corrects a disabled serviceman's cause and grade from a month (amounts follow the table)",
)
def veteran_correct_api(request, veteran_id: Key, body: CorrectIn):
    perm_require(request.user, Perm.CASE_DECIDE)
    v = scope.get_actionable(request.user, "benefits.VeteranEntitlement", veteran_id)
    veterans.veteran_correct(
        actor=request.user,
        entitlement=v,
        grade=body.grade,
        cause=body.cause,
        from_month=month_clean(body.from_month, field="from_month", zh_label="更正起始月", en_label="Corrected from"),
        reason=body.reason,
    )
    return _veteran_out(selectors.veteran_get(request.user, veteran_id), detail=True)


class AccountIn(Schema):
    bank_account: Account
    account_holder: Text(50) = ""  # empty: the person's own name
    reason: Text(200, required=True)


class AccountChangeOut(VeteranDetailOut, LinesMovedOut):
    pass


@router.post(
    "/veterans/{veteran_id}/account",
    response=AccountChangeOut,
    summary="The county records the person's new own account: draft payrolls take it now, later ones pay it",
)
def veteran_account_api(request, veteran_id: Key, body: AccountIn):
    perm_require(request.user, Perm.CASE_DECIDE)
    v = scope.get_actionable(request.user, "benefits.VeteranEntitlement", veteran_id)
    change = veterans.veteran_account_change(
        actor=request.user,
        entitlement=v,
        bank_account=body.bank_account,
        account_holder=body.account_holder,
        reason=body.reason,
    )
    return {
        **_veteran_out(selectors.veteran_get(request.user, veteran_id), detail=True),
        **lines_moved_out(change.lines, to_zh=veterans.OWN_ACCOUNT_PAYEE),
    }


@router.post("/veterans/{veteran_id}/suspend", response=VeteranDetailOut, summary="A prison term began")
def veteran_suspend_api(request, veteran_id: Key, body: SuspendIn):
    perm_require(request.user, Perm.CASE_DECIDE)
    v = scope.get_actionable(request.user, "benefits.VeteranEntitlement", veteran_id)
    veterans.veteran_suspend(actor=request.user, entitlement=v, started_on=body.started_on, note=body.note)
    return _veteran_out(selectors.veteran_get(request.user, veteran_id), detail=True)


@router.post("/veterans/{veteran_id}/resume", response=VeteranDetailOut, summary="Released: paid from next month")
def veteran_resume_api(request, veteran_id: Key, body: ResumeIn):
    perm_require(request.user, Perm.CASE_DECIDE)
    v = scope.get_actionable(request.user, "benefits.VeteranEntitlement", veteran_id)
    veterans.veteran_resume(actor=request.user, entitlement=v, released_on=body.released_on)
    return _veteran_out(selectors.veteran_get(request.user, veteran_id), detail=True)


@router.post("/veterans/grants", response=GrantsOut, summary="The year's one-off grant to everyone it applies to")
def veterans_grants_api(request, body: GrantsIn):
    perm_require(request.user, Perm.CASE_DECIDE)
    month = month_clean(body.month, field="month", zh_label="发放月份", en_label="Month")
    r = veterans.veterans_grants_run(actor=request.user, kind=body.kind, year=month.year, month=month)
    return {
        "kind": r.kind,
        "year": r.year,
        "month": r.month,
        "added": r.added,
        "already": r.already,
        "total": f"{r.total:.2f}",
        "batch_id": r.batch_id,
    }


# ---- the children's allowance (children.py) ------------------------------------------------------------------------


class ChildOut(Schema):
    enrolment_id: int
    person_id: int
    name: str
    id_number: str = Field(description="masked: the first 6 and last 4 characters")
    birth_date: dt.date
    area_code: str
    village: str
    category: Literal["orphan", "de_facto", ""] = Field(
        description="as the rules give it today on the recorded facts; empty: no longer qualifies, a review is due"
    )
    in_institution: bool
    monthly_amount: str = Field(description="yuan, two decimals")
    next_review_due: dt.date
    turns_18: dt.date
    studying: bool
    review_id: int | None = Field(description="the open review of the child's allowance, if any")


class SituationOut(Schema):
    id: int
    parent: Literal[tuple(ParentRole.values)]
    status: Literal[tuple(ParentStatus.values)]
    since: dt.date
    until: dt.date | None
    evidence: str
    end_reason: str


class SituationIn(Schema):
    parent: Literal[tuple(ParentRole.values)]
    status: Literal[tuple(ParentStatus.values)]
    since: dt.date
    evidence: Text(200)


class ChildFactsOut(Schema):
    person_id: int
    situations: list[SituationOut]
    eligible: bool = Field(description="the rules on the recorded facts today qualify the person")
    monthly_amount: str | None
    explanation: list[str]


class ReviewDecideIn(Schema):
    outcome: Literal["continue", "stop"]
    reason: Text(200)


class ReviewDecideOut(Schema):
    case_id: int
    state: str
    stopped_from: dt.date | None
    monthly_amount: str | None


@router.get("/children", response=list[ChildOut], summary="Children paid the children's allowance in one's area")
def children_list(request):
    rows = children.children_list(request.user, on=timezone.localdate())
    return [
        {
            "enrolment_id": r.enrolment.pk,
            "person_id": r.person.pk,
            "name": r.person.name,
            "id_number": id_mask(r.person.id_number),
            "birth_date": r.person.birth_date,
            "area_code": r.enrolment.area_code,
            "village": r.village,
            "category": r.kind,
            "in_institution": r.in_institution,
            "monthly_amount": f"{r.amount:.2f}",
            "next_review_due": r.next_review_due,
            "turns_18": r.turns_18,
            "studying": r.studying,
            "review_id": r.review_open.pk if r.review_open else None,
        }
        for r in rows
    ]


def _facts_out(request, person) -> dict:
    decision, line = children.child_decision(person, timezone.localdate())
    return {
        "person_id": person.pk,
        "situations": list(ParentSituation.objects.filter(child=person).order_by("parent", "-since")),
        "eligible": bool(line and line.counted),
        "monthly_amount": f"{line.amount:.2f}" if line and line.counted else None,
        "explanation": explanation_lines(decision.as_dict() if decision else None),
    }


@router.get("/people/{person_id}/parent-situations", response=ChildFactsOut)
def parent_situations(request, person_id: Key):
    perm_require(request.user, Perm.CASE_VIEW)
    return _facts_out(request, scope.person_get(request.user, person_id))


@router.post(
    "/people/{person_id}/parent-situations",
    response=ChildFactsOut,
    summary="Record a parent's situation (a paid child gets a review raised)",
)
def parent_situation_add(request, person_id: Key, body: SituationIn):
    person = scope.person_get(request.user, person_id)
    children.parent_situation_record(
        actor=request.user,
        child=person,
        parent=body.parent,
        status=body.status,
        since=body.since,
        evidence=body.evidence,
    )
    return _facts_out(request, person)


@router.post(
    "/children/reviews/{case_id}/decide",
    response=ReviewDecideOut,
    summary="Decide a children's allowance review: continue, or stop from the next month",
)
def children_review_decide(request, case_id: Key, body: ReviewDecideIn):
    perm_require(request.user, Perm.CASE_VIEW)
    case = scope.get_visible(
        request.user,
        "cases.Case",
        case_id,
        queryset=scope.visible(request.user, "cases.Case").filter(kind="review", programme_id="children"),
    )
    out = children.children_review_decide(actor=request.user, case=case, outcome=body.outcome, reason=body.reason)
    return {
        "case_id": out.case.pk,
        "state": out.case.state,
        "stopped_from": out.stopped_from,
        "monthly_amount": f"{out.amount:.2f}" if out.amount is not None else None,
    }


# ---- a child's application for the children's allowance (children_applications.py) ---------------------------------


class ChildApplicationIn(Schema):
    child_id: Key
    accepted_on: Day = Field(description="the day the township received the application (YYYY-MM-DD)")
    applied_by: Text(50, required=True, description="who applied: a guardian, a relative, the village")
    note: Text(200) = ""


class ChildApplicationOut(Schema):
    case_id: int
    child_id: int
    name: str
    village: str
    applied_by: str
    accepted_on: dt.date
    step: Literal[tuple(children_applications.WAITING)] = Field(
        description="accepted: the township investigates; county_review: the county decides"
    )
    due: dt.date | None = Field(description="the current step's time limit, in working days of the official calendar")
    overdue: bool = Field(description="today is past the current step's time limit")


class ChildApplicationSubmitIn(Schema):
    opinion: Text(200, required=True, description="the township's opinion after investigating")


class ChildApplicationDecideIn(Schema):
    outcome: Literal["approve", "refuse"]
    reason: Text(150) = Field("", description="required when refusing: the written reason")
    in_institution: bool = Field(False, description="raised in a welfare institution (the centralised rate)")


class ChildApplicationWithdrawIn(Schema):
    reason: Text(200, required=True, description="why the application is withdrawn")


class ChildApplicationStateOut(Schema):
    case_id: int
    state: Literal[("accepted", "county_review", "approved", "refused", "withdrawn")]
    due: dt.date | None
    enrolment_id: int | None = None
    monthly_amount: str | None = None
    start_month: dt.date | None = None


def _application_out(r) -> dict:
    return {
        "case_id": r.case.pk,
        "child_id": r.person.pk,
        "name": r.person.name,
        "village": r.village,
        "applied_by": r.applied_by,
        "accepted_on": r.case.accepted_on,
        "step": r.case.state,
        "due": r.due,
        "overdue": r.overdue,
    }


def _application_get(request, case_id: int):
    return scope.get_visible(
        request.user, "cases.Case", case_id, queryset=children_applications.applications(request.user)
    )


@router.get(
    "/children/applications",
    response=list[ChildApplicationOut],
    summary="Children's applications in progress in one's area, nearest time limit first",
)
def child_applications(request, step: Literal[tuple(children_applications.WAITING)] | None = None):
    rows = children_applications.application_rows(request.user, today=timezone.localdate(), state=step)
    return [_application_out(r) for r in rows]


@router.post(
    "/children/applications",
    response={201: ChildApplicationOut},
    summary="Record a child's application received by the township (the investigation is due 15 working days later)",
)
def child_application_record(request, body: ChildApplicationIn):
    perm_require(request.user, Perm.CASE_VIEW)
    person = scope.person_get(request.user, body.child_id)
    children_applications.children_application_record(
        actor=request.user, child=person, accepted_on=body.accepted_on, applied_by=body.applied_by, note=body.note
    )
    # the application just recorded, as the list shows it (in the account's area: it was recorded there)
    row = children_applications.application_open(request.user, person, timezone.localdate())
    return Status(201, _application_out(row))


def _state_out(case) -> dict:
    """An application's step after a move (ChildApplicationStateOut)."""
    return {"case_id": case.pk, "state": case.state, "due": case.step_due}


@router.post(
    "/children/applications/{case_id}/submit",
    response=ChildApplicationStateOut,
    summary="The township submits the application to the county with its opinion (the child must qualify)",
)
def child_application_submit(request, case_id: Key, body: ChildApplicationSubmitIn):
    perm_require(request.user, Perm.CASE_VIEW)
    case = children_applications.children_application_submit(
        actor=request.user, case=_application_get(request, case_id), opinion=body.opinion
    )
    return _state_out(case)


@router.post(
    "/children/applications/{case_id}/withdraw",
    response=ChildApplicationStateOut,
    summary="The township withdraws the application at its step, with a reason (not once submitted to the county)",
)
def child_application_withdraw(request, case_id: Key, body: ChildApplicationWithdrawIn):
    perm_require(request.user, Perm.CASE_VIEW)
    case = children_applications.children_application_withdraw(
        actor=request.user, case=_application_get(request, case_id), reason=body.reason
    )
    return _state_out(case)


@router.post(
    "/children/applications/{case_id}/decide",
    response=ChildApplicationStateOut,
    summary="The county approves (paid from the next month) or refuses with a written reason",
)
def child_application_decide(request, case_id: Key, body: ChildApplicationDecideIn):
    perm_require(request.user, Perm.CASE_VIEW)
    out = children_applications.children_application_decide(
        actor=request.user,
        case=_application_get(request, case_id),
        outcome=body.outcome,
        reason=body.reason,
        in_institution=body.in_institution,
    )
    e = out.enrolment
    return {
        **_state_out(out.case),
        "enrolment_id": e.pk if e else None,
        "monthly_amount": f"{e.monthly_amount:.2f}" if e else None,
        "start_month": e.start_month if e else None,
    }
