"""One person, all programmes (issue 15): every programme a person or a household receives or has received —
dibao, tekun, temporary, medical, old-age allowance, children, disability subsidies, funeral waiver, and any
programme added to ``programmes.shapes`` later — with its state, monthly or one-off amount, since and until, and
the case that decided it. Every programme's money goes through an enrolment (a one-off is an enrolment for one
month), so one query reads them all; temporary assistance still awaiting a decision (no enrolment yet) is the
second. Always area-scoped (doudi/accounts/scope.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery

from doudi.accounts import scope
from doudi.cases.models import CLOSED_STATUSES, ONE_OFF_STATES, ChangeKind, EnrolmentChange, EnrolmentStatus
from doudi.programmes.shapes import SHAPES
from doudi.registry.models import Household, Person

from .models import TemporaryState


@dataclass
class ProgrammeRow:
    programme: str
    name: object  # the programme's name in the reader's language
    who: str  # the person paid for, or "" for the whole household
    state: str  # an enrolment status or a temporary assistance state
    state_label: object
    once: bool
    amount: Decimal
    since: dt.date | None
    until: dt.date | None
    live: bool
    enrolment_id: int | None = None
    case_id: int | None = None
    temporary_id: int | None = None
    household_id: int | None = None
    grantable: bool = False  # a granted monthly programme the page may stop


def _name(code: str, english: bool):
    shape = SHAPES.get(code)
    if shape is None:
        return code
    return shape.name_en if english else shape.name_zh


def _rows(enrolments, temporaries, english: bool) -> list[ProgrammeRow]:
    rows = []
    for e in enrolments:
        shape = SHAPES.get(e.programme_id)
        once = shape is not None and shape.payment == "once"
        rows.append(
            ProgrammeRow(
                programme=e.programme_id,
                name=_name(e.programme_id, english),
                who=e.person.name if e.person_id else "",
                state=e.status,
                state_label=ONE_OFF_STATES.get(e.status, EnrolmentStatus(e.status).label)
                if once
                else EnrolmentStatus(e.status).label,
                once=once,
                amount=e.monthly_amount if e.status not in CLOSED_STATUSES or once else _last_amount(e),
                since=e.start_month,
                until=e.end_month,
                live=e.status not in CLOSED_STATUSES,
                enrolment_id=e.pk,
                case_id=e.case_id,
                household_id=e.household_id,
                grantable=shape is not None and not shape.procedure.through_case and shape.payment == "monthly",
            )
        )
    for t in temporaries:
        rows.append(
            ProgrammeRow(
                programme="temporary",
                name=_name("temporary", english),
                who=t.applicant.name,
                state=t.state,
                state_label=TemporaryState(t.state).label,
                once=True,
                amount=t.amount,
                since=t.hardship_date,
                until=None,
                live=t.state == TemporaryState.AWAITING,
                temporary_id=t.pk,
                household_id=t.household_id,
            )
        )
    rows.sort(key=lambda r: (not r.live, -(r.since or dt.date.min).toordinal(), r.programme))
    return rows


def _last_amount(e) -> Decimal:
    """An ended monthly enrolment's amount is 0 after its termination; show what it paid last."""
    return e.last_paid if e.last_paid is not None else e.monthly_amount


def _enrolments(user, q: Q):
    # the amount last in force, for an enrolment whose amount is now 0 (terminated): one subquery, no extra query
    last = (
        EnrolmentChange.objects.filter(enrolment=OuterRef("pk"))
        .exclude(kind__in=[ChangeKind.TERMINATE, ChangeKind.SUSPEND])
        .order_by("-from_month", "-id")
        .values("new_amount")[:1]
    )
    return (
        scope.visible(user, "cases.Enrolment")
        .filter(q)
        .select_related("person")
        .order_by("-start_month", "-pk")
        .annotate(last_paid=Subquery(last))
    )


def _temporaries(user, q: Q):
    # awaiting a decision (no enrolment yet): a decided one is an enrolment above
    return (
        scope.visible(user, "benefits.TemporaryAssistance")
        .filter(q, enrolment__isnull=True)
        .exclude(state=TemporaryState.REFUSED)
        .select_related("applicant")
    )


def person_programmes(user, person: Person, *, english: bool = False) -> list[ProgrammeRow]:
    """The person's own programmes and those of every household the person belongs or belonged to while a member
    (a household's dibao paid the person's share too). Two queries."""
    households = person.memberships.values("household_id")
    q = Q(person=person) | Q(person__isnull=True, household_id__in=households)
    return _rows(list(_enrolments(user, q)), list(_temporaries(user, Q(applicant=person))), english)


def household_programmes(user, household: Household, *, english: bool = False) -> list[ProgrammeRow]:
    """Every programme paid to the household or to any of its members while in it. Two queries."""
    return _rows(
        list(_enrolments(user, Q(household=household))),
        list(_temporaries(user, Q(household=household))),
        english,
    )
