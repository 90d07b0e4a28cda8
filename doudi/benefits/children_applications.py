"""A child's application for the children's allowance (孤儿、事实无人抚养儿童基本生活保障申请, domain.md §5b), on its
procedure's two steps (doudi/programmes/shapes/children.py): the township accepts and investigates within 15
working days of receiving it, then the county decides within 15 working days of the township's submission.

An application is a case (``Case`` kind new, programme children), as a review of the allowance is one (kind
review): its dates are the case's (``accepted_on``, ``step_due``, ``total_due``, ``decided_on``), so the statistics'
application indicators (SQ accepted, decided, on time, pending) count it as they count a dibao application, and
the county's approval turns this same case into the approved case of the child's enrolment (``children_grant``
with ``case``) — one case per application, never a second one. Its states are two of the case engine's:
``accepted`` (the township's step) and ``county_review`` (the county's), then approved, refused or withdrawn; the
generic case moves (survey, notice, extension…) are never offered to it (doudi/cases/moves.py: a children's case
takes none but the withdrawal), and its case page is this module's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.audit.actions import audit_record
from doudi.cases.actions.procedure import case_move
from doudi.cases.models import LIVE_STATUSES, Case, CaseEvent, CaseEventMove, CaseKind, CaseState, Enrolment
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict, NotFound
from doudi.core.labels import said
from doudi.core.validation import date_clean, text_clean
from doudi.core.workdays import WorkCalendar, add_working_days
from doudi.programmes.shapes import SHAPES
from doudi.registry.models import Person

from . import children
from .events import BenefitEvent

PROGRAMME = children.PROGRAMME
STEP_DAYS = SHAPES[PROGRAMME].procedure.step_limits()  # {"accepted": 15, "county_review": 15}
TOWNSHIP, COUNTY = CaseState.ACCEPTED, CaseState.COUNTY_REVIEW
WAITING = (TOWNSHIP, COUNTY)
TOTAL_DAYS = STEP_DAYS[TOWNSHIP] + STEP_DAYS[COUNTY]  # the whole procedure, from receipt to the decision
MARK = "children_application"  # the key on the opening event's data: this case is a child's application

STEP_TEXT = {
    TOWNSHIP: ("乡镇调查核实中", "Township investigating"),
    COUNTY: ("待县级审批", "Awaiting the county's decision"),
    CaseState.APPROVED: ("已批准", "Approved"),
    CaseState.REFUSED: ("不予批准", "Refused"),
    CaseState.WITHDRAWN: ("已撤回", "Withdrawn"),
}

EVENT_TEXT = {  # the application's timeline, said as this procedure says it (not dibao's notice and survey)
    CaseEventMove.CREATE: ("乡镇受理申请", "Application received by the township"),
    "submit_to_county": ("乡镇调查核实后报县审批", "Investigated and submitted to the county"),
    "approve": ("县级批准", "Approved by the county"),
    "refuse": ("县级不予批准", "Refused by the county"),
    "withdraw": ("撤回申请", "Withdrawn"),
}

# why the rules leave the child out (the member line's excluded_reason), said of the child
EXCLUDED_TEXT = {
    "parents_not_given": (
        "尚未登记该儿童父母的情况：请先登记父亲、母亲各自的情形",
        "The parents' situations are not recorded: record the father's and the mother's first",
    ),
    "parents_not_qualifying": (
        "按登记的父母情况，该儿童不属于孤儿或事实无人抚养儿童",
        "On the recorded parents' situations the child is neither an orphan nor de facto unsupported",
    ),
    "age": ("该儿童已满18周岁且没有全日制在读证明", "The child is past 18 without proof of full-time study"),
    "deceased": ("该儿童已死亡", "The child has died"),
    "hukou_outside_county": ("该儿童户籍不在本县", "The child's hukou is not in this county"),
}


def step_text(state: str) -> str:
    zh, en = STEP_TEXT.get(state, (state, state))
    return said(zh, en)


def event_text(move: str) -> str:
    zh, en = EVENT_TEXT.get(move, (move, move))
    return said(zh, en)


def is_application(case: Case) -> bool:
    return (
        case.kind == CaseKind.NEW
        and case.programme_id == PROGRAMME
        and CaseEvent.objects.filter(case=case, move=CaseEventMove.CREATE, data__has_key=MARK).exists()
    )


# --------------------------------------------------------------------------------------------------- actions


@action
def children_application_record(
    *, actor, child: Person, accepted_on, applied_by: str, note: str = "", on: dt.date | None = None
) -> Case:
    """The township receives a child's application on ``accepted_on`` from ``applied_by`` (a guardian, a relative,
    the village on the child's behalf): its investigation is due 15 working days later, the county's decision 30."""
    perm_require(actor, Perm.CASE_HANDLE)
    on = on or timezone.localdate()
    area = children.child_area(actor, child)
    accepted_on = date_clean(
        accepted_on,
        field="accepted_on",
        zh_label="受理日期",
        en_label="Date received",
        earliest=on - dt.timedelta(days=366),
        latest=on,
        required=True,
    )
    applied_by = text_clean(
        applied_by, field="applied_by", zh_label="申请人", en_label="Applicant", max_length=50, required=True
    )
    note = text_clean(note, field="note", zh_label="申请说明", en_label="Note", max_length=200)
    person = Person.objects.select_for_update().get(pk=child.pk)
    if applications(None).filter(applicant=person, state__in=WAITING).exists():
        raise Conflict("该儿童已有在办的申请", "The child already has an application in progress", field="child")
    if Enrolment.objects.filter(programme_id=PROGRAMME, person=person, status__in=LIVE_STATUSES).exists():
        raise Conflict(
            "该儿童已在享受孤儿（事实无人抚养儿童）基本生活费，无需再申请",
            "The child is already paid the allowance",
            field="child",
        )
    cal = WorkCalendar.load()
    step, total = (
        add_working_days(accepted_on, STEP_DAYS[TOWNSHIP], cal),
        add_working_days(accepted_on, TOTAL_DAYS, cal),
    )
    case = Case.objects.create(
        kind=CaseKind.NEW,
        programme_id=PROGRAMME,
        household_id=children.child_household_id(person),
        applicant=person,
        area_code=area,
        state=TOWNSHIP,
        created_by=actor,
        accepted_on=accepted_on,
        state_since=accepted_on,
        step_due=step.due,
        step_due_complete=step.calendar_complete,
        total_due=total.due,
        total_due_complete=total.calendar_complete,
    )
    CaseEvent.objects.create(
        case=case,
        on=accepted_on,
        actor=actor,
        move=CaseEventMove.CREATE,
        from_state="",
        to_state=TOWNSHIP,
        note=note,
        data={MARK: True, "applied_by": applied_by},
    )
    audit_record(
        actor=actor,
        action=BenefitEvent.CHILDREN_APPLICATION_RECORD,
        target=case,
        area_code=area,
        household_id=case.household_id,
        new={"child": person.pk, "accepted_on": accepted_on, "applied_by": applied_by, "note": note, "due": step.due},
    )
    return case


def _locked(actor, case: Case) -> Case:
    c = (
        Case.objects.select_for_update(of=("self",))
        .select_related("applicant")
        .filter(pk=case.pk, kind=CaseKind.NEW, programme_id=PROGRAMME)
        .first()
    )
    if c is None or not covers(actor, c.area_code) or not is_application(c):
        raise NotFound(field="case")
    return c


def qualifying_check(person: Person, on: dt.date) -> None:
    """Refused, naming the reason, unless the rules on the recorded parents' situations qualify the child on
    ``on``."""
    decision, line = children.child_decision(person, on)
    if decision is not None and line is not None and line.counted:
        return
    zh, en = EXCLUDED_TEXT.get(
        line.excluded_reason if line is not None else "",
        ("该儿童不是任何家庭的现有成员", "The child is not a current household member"),
    )
    raise ApplicationError(
        f"不符合保障条件，不能报县审批：{zh}",
        f"The child does not qualify and cannot be submitted: {en}",
        field="child",
        code="not_eligible",
    )


@action
def children_application_submit(*, actor, case: Case, opinion: str, on: dt.date | None = None) -> Case:
    """The township's investigation done: submitted to the county with its opinion, when the rules on the
    recorded parents' situations qualify the child; the county's decision is due 15 working days later."""
    perm_require(actor, Perm.CASE_SUBMIT)
    on = on or timezone.localdate()
    c = _locked(actor, case)
    if c.state != TOWNSHIP:
        raise Conflict(
            f"该申请{STEP_TEXT.get(c.state, (c.state,))[0]}，不能再报县审批",
            "The application is not at the township's step",
            field="case",
            code="bad_state",
        )
    opinion = text_clean(
        opinion,
        field="opinion",
        zh_label="乡镇调查核实意见",
        en_label="Township's opinion",
        max_length=200,
        required=True,
    )
    qualifying_check(c.applicant, on)
    due = add_working_days(on, STEP_DAYS[COUNTY], WorkCalendar.load())
    c.state, c.state_since, c.version = COUNTY, on, c.version + 1
    c.township_opinion, c.township_recommends = opinion, True
    c.step_due, c.step_due_complete = due.due, due.calendar_complete
    c.save()
    CaseEvent.objects.create(
        case=c, on=on, actor=actor, move="submit_to_county", from_state=TOWNSHIP, to_state=COUNTY, note=opinion
    )
    audit_record(
        actor=actor,
        action=BenefitEvent.CHILDREN_APPLICATION_SUBMIT,
        target=c,
        area_code=c.area_code,
        household_id=c.household_id,
        old={"state": TOWNSHIP},
        new={"state": COUNTY, "opinion": opinion, "due": due.due},
    )
    return c


def may_withdraw(user, case: Case) -> bool:
    """Whether ``user`` may withdraw this application now (the button on its page): the township's staff who record
    applications, while it is at the township's step (the scope is the page's: it shows only the user's area)."""
    return case.state == TOWNSHIP and user.has_role_perm(Perm.CASE_HANDLE) and user.has_role_perm(Perm.CASE_WITHDRAW)


@action
def children_application_withdraw(*, actor, case: Case, reason: str, on: dt.date | None = None) -> Case:
    """The application withdrawn at the township's step (the guardian no longer asks for it, the family's situation
    changed before the investigation ended), with a written reason: the case closes as withdrawn through the case
    procedure's withdrawal, the same move a child's death or a move out of the county makes
    (doudi/benefits/life.py), which records the timeline event and the audit event; the child may apply again or be
    granted directly. Once submitted to the county it is the county's to decide."""
    perm_require(actor, Perm.CASE_HANDLE)
    on = on or timezone.localdate()
    c = _locked(actor, case)
    if c.state != TOWNSHIP:
        raise Conflict(
            "该申请已报县审批，不能再撤回：由县级作出决定"
            if c.state == COUNTY
            else f"该申请已办结（{STEP_TEXT.get(c.state, (c.state,))[0]}），不能再撤回",
            "The application is no longer at the township's step and cannot be withdrawn",
            field="case",
            code="bad_state",
        )
    reason = text_clean(
        reason, field="reason", zh_label="撤回原因", en_label="Reason for withdrawal", max_length=200, required=True
    )
    return case_move(actor=actor, case=c, move="withdraw", data={"reason": reason}, on=on)


@dataclass
class Decided:
    case: Case
    enrolment: Enrolment | None = None


@action
def children_application_decide(
    *,
    actor,
    case: Case,
    outcome: str,
    reason: str = "",
    in_institution: bool = False,
    on: dt.date | None = None,
) -> Decided:
    """The county approves (the allowance granted on the recorded facts, paid from the next month; the
    application becomes the enrolment's case) or refuses with a written reason."""
    perm_require(actor, Perm.CASE_DECIDE)
    on = on or timezone.localdate()
    c = _locked(actor, case)
    if c.state != COUNTY:
        raise Conflict(
            "该申请尚未报县审批" if c.state == TOWNSHIP else "该申请已办结",
            "The application is not awaiting the county's decision",
            field="case",
            code="bad_state",
        )
    if outcome not in ("approve", "refuse"):
        raise ApplicationError("请选择批准或不予批准", "Choose approve or refuse", field="outcome")
    label = ("不予批准理由", "Reason for refusal") if outcome == "refuse" else ("审批意见", "Decision note")
    reason = text_clean(
        reason,
        field="reason",
        zh_label=label[0],
        en_label=label[1],
        max_length=150,
        required=outcome == "refuse",
    )
    enrolment = None
    if outcome == "approve":
        enrolment = children.children_grant(
            actor=actor, person=c.applicant, on=on, in_institution=in_institution, note=reason, case=c
        )
        c.refresh_from_db()
    else:
        c.state, c.refusal_reason = CaseState.REFUSED, reason
        c.decided_by, c.decided_on, c.state_since = actor, on, on
        c.step_due = c.total_due = None
    c.version += 1
    c.save()
    CaseEvent.objects.create(
        case=c,
        on=on,
        actor=actor,
        move=outcome,
        from_state=COUNTY,
        to_state=c.state,
        note=reason,
        data={"enrolment": enrolment.pk} if enrolment else {},
    )
    audit_record(
        actor=actor,
        action=BenefitEvent.CHILDREN_APPLICATION_DECIDE,
        target=c,
        area_code=c.area_code,
        household_id=c.household_id,
        old={"state": COUNTY},
        new={
            "state": c.state,
            "reason": reason,
            **({"enrolment": enrolment.pk, "start_month": enrolment.start_month} if enrolment else {}),
        },
    )
    return Decided(case=c, enrolment=enrolment)


# --------------------------------------------------------------------------------------------------- reading


def applications(user):
    """Children's applications (open and decided) the account may see; every one when ``user`` is None (inside
    an action that has checked the area)."""
    qs = Case.objects.all() if user is None else scope.visible(user, "cases.Case")
    return qs.filter(
        kind=CaseKind.NEW,
        programme_id=PROGRAMME,
        events__move=CaseEventMove.CREATE,
        events__data__has_key=MARK,
    )


def waiting_state(user) -> str | None:
    """The step waiting on this account: the county's decision (an approver), the township's investigation and
    submission (a caseworker)."""
    if user.has_role_perm(Perm.CASE_DECIDE):
        return COUNTY
    if user.has_role_perm(Perm.CASE_HANDLE):
        return TOWNSHIP
    return None


@dataclass
class Row:
    case: Case
    person: Person
    village: str
    applied_by: str
    due: dt.date | None
    overdue: bool
    step: str


def application_rows(
    user, *, today: dt.date, state: str | None = None, person: Person | None = None, limit: int = 500
) -> list[Row]:
    """The open applications in the account's area (``state``: one step only; ``person``: one child's), nearest
    due date first, each with its step, due date and whether it is late (today past the due date)."""
    perm_require(user, Perm.CASE_VIEW)
    qs = applications(user).filter(state__in=[state] if state else WAITING)
    if person is not None:
        qs = qs.filter(applicant=person)
    qs = qs.select_related("applicant", "household__area").prefetch_related("events").order_by("step_due", "pk")
    rows = []
    for c in qs[:limit]:
        opened = next((e for e in c.events.all() if e.move == CaseEventMove.CREATE), None)
        rows.append(
            Row(
                case=c,
                person=c.applicant,
                village=c.household.area.name,
                applied_by=opened.data.get("applied_by", "") if opened else "",
                due=c.step_due,
                overdue=c.step_due is not None and today > c.step_due,
                step=step_text(c.state),
            )
        )
    return rows


def application_open(user, person: Person, today: dt.date) -> Row | None:
    rows = application_rows(user, today=today, person=person, limit=1)
    return rows[0] if rows else None


def applications_waiting(user, today: dt.date) -> dict | None:
    """For the home page: how many children's applications wait on this account's step in its area, and how
    many of them are past the step's time limit (one query)."""
    state = waiting_state(user)
    if state is None:
        return None
    counts = (
        scope.visible(user, "cases.Case")
        .filter(kind=CaseKind.NEW, programme_id=PROGRAMME, state=state)
        .aggregate(count=Count("id"), overdue=Count("id", filter=Q(step_due__lt=today)))
    )
    if not counts["count"]:
        return None
    return {"state": state, "count": counts["count"], "overdue": counts["overdue"]}
