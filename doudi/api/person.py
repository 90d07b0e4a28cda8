"""/api/v1 endpoints of "one person, all programmes" (issue 15): every programme of a person or a household; the
reports that act on every programme at once (death, move out of the county, move within it, a household's
change), each with ``preview`` (what would change, nothing written); grants and stops of the monthly programmes
decided on the registry's facts; held one-offs released or cancelled. Thin, over doudi/benefits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.benefits import actions, children, life, overview
from doudi.benefits.grantfacts import grant_facts
from doudi.benefits.person_views import PAGE_GRANTS
from doudi.core.errors import NotFound
from doudi.core.validation import month_clean

from .schemas import ErrorOut, RelationCode
from .types import MONTH_PATTERN, Day, Key, Text

router = Router(tags=["person"])
REFUSALS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
Month = Annotated[str, Field(pattern=MONTH_PATTERN, description="YYYY-MM, 1900-01 – 2099-12")]
Details = Text(100, required=True)


class PersonProgrammeOut(Schema):
    programme: str
    who: str = Field(description="the person paid for; empty for the whole household")
    state: str
    once: bool
    amount: str = Field(description="monthly amount, or the one-off amount")
    since: dt.date | None
    until: dt.date | None
    live: bool
    enrolment_id: int | None
    case_id: int | None
    temporary_id: int | None


class EffectOut(Schema):
    programme: str
    outcome: Literal[tuple(life.Outcome.values)]
    who: str
    rule: str
    enrolment_id: int | None
    case_id: int | None
    last_month: dt.date | None
    from_month: dt.date | None
    old_amount: str | None
    new_amount: str | None
    overpaid: str | None


class LifeOut(Schema):
    event: str
    preview: bool
    effects: list[EffectOut]


class DeathIn(Schema):
    died_on: Day
    details: Details
    preview: bool = False


class MoveOutIn(Schema):
    on: Day
    details: Details
    preview: bool = False


class MoveWithinIn(Schema):
    to_household_id: Key
    relation: RelationCode
    on: Day
    details: Details
    preview: bool = False


class ChangeIn(Schema):
    kind: Literal[tuple(life.CHANGE_KINDS)]
    effective_month: Month
    details: Details
    preview: bool = False


class GrantIn(Schema):
    programme: Literal[PAGE_GRANTS]
    note: Text(150) = ""
    # the disability subsidies are paid from the month of application (domain.md §5c); today when not given
    applied_on: dt.date | None = None


class PersonGrantOut(Schema):
    enrolment_id: int
    programme: str
    monthly_amount: str
    start_month: dt.date


class ChildrenGrantIn(Schema):
    in_institution: bool = Field(False, description="raised in a welfare institution (the centralised rate)")
    note: Text(150) = ""


class ChildrenGrantOut(PersonGrantOut):
    support_mode: Literal[("centralised", "scattered")]
    next_review_due: dt.date | None = Field(description="the 18th birthday, or the end of study past 18")


class StopIn(Schema):
    month: Month
    reason: Details


class HoldIn(Schema):
    pay: bool
    reason: Details


class EnrolmentStateOut(Schema):
    enrolment_id: int
    status: str
    end_month: dt.date | None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _rows(rows) -> list[dict]:
    return [
        {
            "programme": r.programme,
            "who": r.who,
            "state": r.state,
            "once": r.once,
            "amount": f"{r.amount:.2f}",
            "since": r.since,
            "until": r.until,
            "live": r.live,
            "enrolment_id": r.enrolment_id,
            "case_id": r.case_id,
            "temporary_id": r.temporary_id,
        }
        for r in rows
    ]


def _life(result: life.LifeResult, preview: bool):
    body = {
        "event": result.event,
        "preview": preview,
        "effects": [
            {
                "programme": e.programme,
                "outcome": e.outcome,
                "who": e.who,
                "rule": e.rule,
                "enrolment_id": e.enrolment_id,
                "case_id": e.case_id,
                "last_month": e.last_month,
                "from_month": e.from_month,
                "old_amount": _money(e.old_amount),
                "new_amount": _money(e.new_amount),
                "overpaid": _money(e.overpaid),
            }
            for e in result.effects
        ],
    }
    return Status(200 if preview else 201, body)


@router.get("/people/{person_id}/programmes", response={200: list[PersonProgrammeOut], **REFUSALS})
def person_programmes(request, person_id: Key):
    perm_require(request.user, Perm.CASE_VIEW)
    return _rows(overview.person_programmes(request.user, scope.person_get(request.user, person_id)))


@router.get("/households/{household_id}/programmes", response={200: list[PersonProgrammeOut], **REFUSALS})
def household_programmes(request, household_id: Key):
    perm_require(request.user, Perm.CASE_VIEW)
    return _rows(overview.household_programmes(request.user, scope.household_get(request.user, household_id)))


@router.post("/people/{person_id}/death", response={200: LifeOut, 201: LifeOut, **REFUSALS})
def person_death(request, person_id: Key, body: DeathIn):
    person = scope.person_get(request.user, person_id)
    fn = life.person_death_preview if body.preview else life.person_death_record
    return _life(fn(actor=request.user, person=person, died_on=body.died_on, details=body.details), body.preview)


@router.post("/people/{person_id}/move-out", response={200: LifeOut, 201: LifeOut, **REFUSALS})
def person_move_out(request, person_id: Key, body: MoveOutIn):
    person = scope.person_get(request.user, person_id)
    fn = life.person_move_out_preview if body.preview else life.person_move_out
    return _life(fn(actor=request.user, person=person, on=body.on, details=body.details), body.preview)


@router.post("/people/{person_id}/move-within", response={200: LifeOut, 201: LifeOut, **REFUSALS})
def person_move_within(request, person_id: Key, body: MoveWithinIn):
    person = scope.person_get(request.user, person_id)
    to_household = scope.household_get(request.user, body.to_household_id)
    fn = life.person_move_within_preview if body.preview else life.person_move_within
    result = fn(
        actor=request.user,
        person=person,
        to_household=to_household,
        relation=body.relation,
        on=body.on,
        details=body.details,
    )
    return _life(result, body.preview)


@router.post("/households/{household_id}/change-report", response={200: LifeOut, 201: LifeOut, **REFUSALS})
def household_change(request, household_id: Key, body: ChangeIn):
    household = scope.household_get(request.user, household_id)
    month = month_clean(body.effective_month, field="effective_month", zh_label="起始月", en_label="Effective month")
    fn = life.household_change_preview if body.preview else life.household_change_record
    result = fn(actor=request.user, household=household, kind=body.kind, effective_month=month, details=body.details)
    return _life(result, body.preview)


def _grant_out(e) -> dict:
    return {
        "enrolment_id": e.pk,
        "programme": e.programme_id,
        "monthly_amount": f"{e.monthly_amount:.2f}",
        "start_month": e.start_month,
    }


@router.post("/people/{person_id}/grants", response={201: PersonGrantOut, **REFUSALS})
def person_grant(request, person_id: Key, body: GrantIn):
    """Grant the old-age allowance or the disability subsidies today on the registry's facts (the rules decide;
    an ineligible person is refused with the reasons)."""
    perm_require(request.user, Perm.CASE_DECIDE)
    person = scope.person_get(request.user, person_id)
    membership = person.memberships.filter(end_date__isnull=True).first()
    if membership is None:
        raise NotFound(field="person")
    household = scope.household_get(request.user, membership.household_id)
    facts, facts_in = grant_facts(body.programme, household, person, timezone.localdate())
    e = actions.benefit_grant(
        actor=request.user,
        programme=body.programme,
        household=household,
        person=person,
        on=timezone.localdate(),
        facts=facts,
        note=body.note,
        applied_on=body.applied_on,
        facts_in=facts_in,
    )
    return Status(201, _grant_out(e))


@router.post(
    "/people/{person_id}/children-allowance",
    response={201: ChildrenGrantOut, **REFUSALS},
    summary="Grant the children's allowance on the recorded parents' situations",
)
def children_grant(request, person_id: Key, body: ChildrenGrantIn):
    """The county decides on the parents' situations recorded for the child (POST
    /people/{person_id}/parent-situations first); paid from the next month; refused with the rules' reasons when
    the situations do not qualify."""
    perm_require(request.user, Perm.CASE_DECIDE)
    person = scope.person_get(request.user, person_id)
    e = children.children_grant(
        actor=request.user, person=person, on=timezone.localdate(), in_institution=body.in_institution, note=body.note
    )
    return Status(201, {**_grant_out(e), "support_mode": e.support_mode, "next_review_due": e.next_review_due})


@router.post("/enrolments/{enrolment_id}/stop", response={200: EnrolmentStateOut, **REFUSALS})
def enrolment_stop(request, enrolment_id: Key, body: StopIn):
    perm_require(request.user, Perm.CASE_DECIDE)
    e = scope.get_visible(request.user, "cases.Enrolment", enrolment_id)
    month = month_clean(body.month, field="month", zh_label="停发起始月", en_label="Month")
    e = actions.benefit_stop(actor=request.user, enrolment=e, month=month, reason=body.reason, on=timezone.localdate())
    return {"enrolment_id": e.pk, "status": e.status, "end_month": e.end_month}


@router.post("/enrolments/{enrolment_id}/hold", response={200: EnrolmentStateOut, **REFUSALS})
def hold_release(request, enrolment_id: Key, body: HoldIn):
    perm_require(request.user, Perm.CASE_DECIDE)
    e = scope.get_visible(request.user, "cases.Enrolment", enrolment_id)
    e = life.oneoff_hold_release(
        actor=request.user, enrolment=e, pay=body.pay, reason=body.reason, on=timezone.localdate()
    )
    return {"enrolment_id": e.pk, "status": e.status, "end_month": e.end_month}
