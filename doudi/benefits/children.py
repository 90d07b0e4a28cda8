"""The children's allowance (孤儿、事实无人抚养儿童基本生活保障, domain.md §5b) decided from recorded facts: each
parent's situation with its dates and evidence (``ParentSituation``) and proof of full-time study past 18
(``StudyProof``). The rules (doudi/programmes/rules/children.py) read them as they stand on the day evaluated, so
the six months out of contact count by date.

Reviews are raised, never decided, here automatically: a parent's situation recorded or ended for a child paid
the allowance, the child's 18th birthday month, the end of study, and the month of the 22nd birthday. Each is a
review case (``Case`` kind review, state accepted) of the child's enrolment in the township's work, with the
reason on its timeline; a trigger is raised once (its key is kept on the timeline), so the daily run is
rerunnable. The review decides to continue (the rules must still qualify the child) or to stop from the next
month."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils import timezone

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.cases.actions.enrolments import enrolment_change_record, enrolment_terminate
from doudi.cases.models import (
    LIVE_STATUSES,
    Case,
    CaseEvent,
    CaseEventMove,
    CaseKind,
    CaseState,
    Enrolment,
)
from doudi.cases.workflow import OPEN_STATES
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict, NotFound
from doudi.core.money import ZERO, add_months, month_start
from doudi.core.validation import date_clean, text_clean
from doudi.core.workdays import WorkCalendar, add_working_days
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.children import PARENT_TEXT
from doudi.programmes.rules.decision import Decision
from doudi.programmes.rules.inputs import HouseholdInput, Parent
from doudi.programmes.rules.registry_input import household_input, household_inputs
from doudi.programmes.selectors import params_in_force
from doudi.programmes.shapes import SHAPES
from doudi.registry.models import Household, Membership, Person

from .actions import benefit_grant
from .events import BenefitEvent
from .models import ParentRole, ParentSituation, ParentStatus, StudyProof

PROGRAMME = "children"
ROLE_TEXT = {"father": ("父亲", "father"), "mother": ("母亲", "mother")}
ROLES = tuple(ParentRole.values)  # the order the rules see the two parents in
REVIEW_DAYS = SHAPES[PROGRAMME].procedure.steps[-1].working_days  # 父母情况变化或年满18周岁时复核


# --------------------------------------------------------------------------------------------------- reading


def _by_child(model, child_ids) -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for row in model.objects.filter(child_id__in=list(child_ids)).order_by("since", "id"):
        out[row.child_id].append(row)
    return out


def parents_on(situations: list[ParentSituation], on: dt.date) -> list[Parent] | None:
    """The two parents as the rules see them on ``on``: the situation in force for each, or none; None when
    nothing was ever recorded for the child (the rules then leave the person out)."""
    if not situations:
        return None
    out = []
    for role in ROLES:
        s = next((x for x in situations if x.parent == role and x.in_force(on)), None)
        out.append(Parent(s.status, s.since) if s else Parent("none"))
    return out


def studying_on(proofs: list[StudyProof], on: dt.date) -> bool:
    return any(p.in_force(on) for p in proofs)


def _institution(person_ids) -> set[int]:
    return set(
        Enrolment.objects.filter(
            programme_id=PROGRAMME, person_id__in=list(person_ids), status__in=LIVE_STATUSES, support_mode="centralised"
        ).values_list("person_id", flat=True)
    )


def _with_records(facts: HouseholdInput, on, situations, proofs, institution: set[int]) -> HouseholdInput:
    members = []
    for m in facts.members:
        recorded = situations.get(m.person_id, [])
        members.append(
            replace(
                m,
                parents=parents_on(recorded, on),
                student=studying_on(proofs.get(m.person_id, []), on) if recorded else m.student,
                in_institution=m.person_id in institution,
            )
        )
    return replace(facts, members=members)


def children_facts(household: Household, on: dt.date, *, in_institution: set[int] | None = None) -> HouseholdInput:
    """The household as the registry holds it, with each member's recorded parents' situations and study as
    they stand on ``on``; ``in_institution`` overrides who is raised in a welfare institution (a grant)."""
    facts = household_input(household)
    ids = [m.person_id for m in facts.members]
    institution = _institution(ids) if in_institution is None else in_institution
    return _with_records(facts, on, _by_child(ParentSituation, ids), _by_child(StudyProof, ids), institution)


def person_line(decision: Decision, facts: HouseholdInput, person_id: int):
    for member, line in zip(facts.members, decision.members, strict=True):
        if member.person_id == person_id:
            return line
    return None


def child_decision(person: Person, on: dt.date):
    """The rules' decision for the person's household on ``on`` and the person's own line (None: not a member)."""
    membership = Membership.objects.filter(person=person, end_date__isnull=True).select_related("household").first()
    if membership is None:
        return None, None
    facts = children_facts(membership.household, on)
    decision = evaluate(PROGRAMME, facts, on)
    return decision, person_line(decision, facts, person.pk)


def birthday(person_birth: dt.date, years: int) -> dt.date:
    """The ``years``-th birthday (29 February falls on 28 February in a common year)."""
    try:
        return person_birth.replace(year=person_birth.year + years)
    except ValueError:
        return dt.date(person_birth.year + years, 2, 28)


def next_review_due(person: Person, on: dt.date, params: dict) -> dt.date:
    """A year on, or sooner: the month of the 18th birthday for a child, of the 22nd for a student."""
    due = add_months(month_start(on), 12)
    adult = month_start(birthday(person.birth_date, params["adult_age"]))
    last = month_start(birthday(person.birth_date, params["study_until_age"]))
    for candidate in (adult, last):
        if candidate > on:
            return min(due, candidate)
    return due


# --------------------------------------------------------------------------------------------------- recording


def child_area(actor, child: Person) -> str:
    membership = Membership.objects.filter(person=child, end_date__isnull=True).first()
    if membership is None:
        raise ApplicationError(
            "此人不是任何家庭的现有成员", "The person is not a current household member", field="child"
        )
    area = Household.objects.filter(pk=membership.household_id).values_list("area_id", flat=True).get()
    if not covers(actor, area):
        raise NotFound(field="child")
    return area


def _live_enrolment(child_id: int) -> Enrolment | None:
    return (
        Enrolment.objects.filter(programme_id=PROGRAMME, person_id=child_id, status__in=LIVE_STATUSES)
        .select_for_update()
        .first()
    )


def _evidence(value) -> str:
    return text_clean(value, field="evidence", zh_label="证明材料", en_label="Evidence", max_length=200, required=True)


@action
def parent_situation_record(
    *, actor, child: Person, parent: str, status: str, since, evidence: str, on: dt.date | None = None
) -> ParentSituation:
    """Record one parent's situation from ``since`` (the township caseworker); a child paid the allowance gets a
    review raised. A parent has one open situation at a time and situations do not overlap."""
    perm_require(actor, Perm.CASE_CREATE)
    on = on or timezone.localdate()
    area = child_area(actor, child)
    if parent not in ROLES:
        raise ApplicationError("请选择父亲或母亲", "Choose the father or the mother", field="parent")
    if status not in ParentStatus.values:
        raise ApplicationError("请选择父母情形", "Choose the parent's situation", field="status")
    since = date_clean(since, field="since", zh_label="起始日期", en_label="Since", latest=on, required=True)
    evidence = _evidence(evidence)
    person = Person.objects.select_for_update().get(pk=child.pk)
    earlier = ParentSituation.objects.filter(child=person, parent=parent)
    if earlier.filter(until__isnull=True).exists():
        raise Conflict(
            f"{ROLE_TEXT[parent][0]}已有未结束的情形：请先登记其结束日期，再登记新情形",
            "That parent has a situation in force: end it first",
            field="parent",
        )
    if earlier.filter(until__gt=since).exists():
        raise ApplicationError(
            "起始日期早于该父母上一情形的结束日期", "Overlaps the parent's previous situation", field="since"
        )
    s = ParentSituation.objects.create(
        child=person, area_code=area, parent=parent, status=status, since=since, evidence=evidence, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=BenefitEvent.PARENT_RECORD,
        target=s,
        area_code=area,
        household_id=child_household_id(person),
        new={"child": person.pk, "parent": parent, "status": status, "since": since, "evidence": evidence},
    )
    enrolment = _live_enrolment(person.pk)
    if enrolment is not None:
        review_raise(
            enrolment,
            reason=f"父母情况变化：{ROLE_TEXT[parent][0]}{PARENT_TEXT[status][0]}（自 {since:%Y-%m-%d}）",
            reason_en=f"A parent's situation: the {ROLE_TEXT[parent][1]} {PARENT_TEXT[status][1]} since {since:%Y-%m-%d}",
            key=f"situation:{s.pk}",
            on=on,
            actor=actor,
        )
    return s


@action
def parent_situation_end(*, actor, situation: ParentSituation, until, reason: str, on: dt.date | None = None):
    """A parent's situation ended on ``until`` (released, found, recovered, no longer disabled): a child paid
    the allowance gets a review raised with the reason."""
    perm_require(actor, Perm.CASE_CREATE)
    on = on or timezone.localdate()
    s = ParentSituation.objects.select_for_update().filter(pk=situation.pk).first()
    if s is None or not covers(actor, s.area_code):
        raise NotFound(field="situation")
    if s.until is not None:
        raise Conflict("该情形已结束", "Already ended", field="situation")
    if s.status == ParentStatus.DEAD:
        raise ApplicationError("死亡情形不能结束；登记有误的请联系县级更正", "A death does not end", field="until")
    until = date_clean(
        until,
        field="until",
        zh_label="结束日期",
        en_label="Until",
        earliest=s.since + dt.timedelta(days=1),
        latest=on,
        required=True,
    )
    reason = text_clean(
        reason, field="end_reason", zh_label="结束原因", en_label="Reason", max_length=200, required=True
    )
    s.until, s.end_reason, s.ended_by = until, reason, actor
    s.save(update_fields=["until", "end_reason", "ended_by"])
    audit_record(
        actor=actor,
        action=BenefitEvent.PARENT_END,
        target=s,
        area_code=s.area_code,
        household_id=child_household_id(s.child),
        old={"until": None},
        new={"until": until, "end_reason": reason},
    )
    enrolment = _live_enrolment(s.child_id)
    if enrolment is not None:
        review_raise(
            enrolment,
            reason=f"父母情况变化：{ROLE_TEXT[s.parent][0]}{PARENT_TEXT[s.status][0]}情形于 {until:%Y-%m-%d} 结束（{reason}）",
            reason_en=f"A parent's situation ended: the {ROLE_TEXT[s.parent][1]} no longer "
            f"{PARENT_TEXT[s.status][1]} from {until:%Y-%m-%d} ({reason})",
            key=f"situation_end:{s.pk}",
            on=on,
            actor=actor,
        )
    return s


@action
def study_proof_record(*, actor, child: Person, school: str, since, evidence: str, on: dt.date | None = None):
    """Proof of full-time study (the allowance past 18 continues while it is in force)."""
    perm_require(actor, Perm.CASE_CREATE)
    on = on or timezone.localdate()
    area = child_area(actor, child)
    school = text_clean(school, field="school", zh_label="学校", en_label="School", max_length=100, required=True)
    since = date_clean(since, field="since", zh_label="就读起始日期", en_label="Since", latest=on, required=True)
    evidence = _evidence(evidence)
    if StudyProof.objects.filter(child=child, until__isnull=True).exists():
        raise Conflict("已有在读证明：请先登记其就读结束", "A proof of study is in force", field="school")
    proof = StudyProof.objects.create(
        child=child, area_code=area, school=school, since=since, evidence=evidence, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=BenefitEvent.STUDY_RECORD,
        target=proof,
        area_code=area,
        household_id=child_household_id(child),
        new={"child": child.pk, "school": school, "since": since, "evidence": evidence},
    )
    return proof


@action
def study_proof_end(*, actor, proof: StudyProof, until, on: dt.date | None = None) -> StudyProof:
    """Study ended (graduated, left school): past 18, the child's allowance gets a review raised."""
    perm_require(actor, Perm.CASE_CREATE)
    on = on or timezone.localdate()
    p = StudyProof.objects.select_for_update().filter(pk=proof.pk).first()
    if p is None or not covers(actor, p.area_code):
        raise NotFound(field="proof")
    if p.until is not None:
        raise Conflict("该在读证明已结束", "Already ended", field="proof")
    until = date_clean(
        until,
        field="until",
        zh_label="就读结束日期",
        en_label="Until",
        earliest=p.since + dt.timedelta(days=1),
        latest=on,
        required=True,
    )
    p.until = until
    p.save(update_fields=["until"])
    audit_record(
        actor=actor,
        action=BenefitEvent.STUDY_END,
        target=p,
        area_code=p.area_code,
        household_id=child_household_id(p.child),
        old={"until": None},
        new={"until": until},
    )
    _study_end_review(p, on=on, actor=actor)
    return p


def _study_end_review(proof: StudyProof, *, on: dt.date, actor) -> Case | None:
    enrolment = _live_enrolment(proof.child_id)
    if enrolment is None:
        return None
    params = params_in_force(PROGRAMME, on, area=enrolment.area_code).values
    if proof.until is None or birthday(proof.child.birth_date, params["adult_age"]) > proof.until:
        return None  # study ended before 18: the child is paid as a child
    return review_raise(
        enrolment,
        reason=f"全日制就读于 {proof.until:%Y-%m-%d} 结束（{proof.school}）",
        reason_en=f"Full-time study ended on {proof.until:%Y-%m-%d} ({proof.school})",
        key=f"study_end:{proof.pk}",
        on=on,
        actor=actor,
    )


def child_household_id(person: Person) -> int | None:
    return (
        Membership.objects.filter(person=person, end_date__isnull=True).values_list("household_id", flat=True).first()
    )


# --------------------------------------------------------------------------------------------------- grants


@action
def children_grant(
    *, actor, person: Person, on: dt.date, in_institution: bool = False, note: str = "", case: Case | None = None
) -> Enrolment:
    """Grant the allowance on the recorded parents' situations (the county decides; paid from the next month).
    ``case``: the child's application being approved (children_applications.py), which becomes the enrolment's
    case; without it the grant records its own approved case."""
    membership = Membership.objects.filter(person=person, end_date__isnull=True).select_related("household").first()
    if membership is None:
        raise ApplicationError(
            "此人不是任何家庭的现有成员", "The person is not a current household member", field="person"
        )
    if Enrolment.objects.filter(programme_id="tekun", person=person, status__in=LIVE_STATUSES).exists():
        # an orphan taking the allowance is not tekun (domain.md §5b): one or the other, never both
        raise Conflict(
            "此人正在享受特困人员救助供养，孤儿基本生活费与特困供养只能享受一项；改领孤儿基本生活费须先终止特困供养",
            "The person receives extreme poverty support: the orphans' allowance and tekun are one or the other; to "
            "take the allowance, end the tekun support first",
            field="person",
        )
    if (
        case is None
        and Case.objects.filter(
            kind=CaseKind.NEW, programme_id=PROGRAMME, applicant=person, state__in=OPEN_STATES
        ).exists()
    ):
        raise Conflict(
            "该儿童有在办的申请：请在申请页面审批",
            "The child has an application in progress: decide it on the application's page",
            field="person",
        )
    facts = children_facts(membership.household, on, in_institution={person.pk} if in_institution else set())
    enrolment = benefit_grant(
        actor=actor,
        programme=PROGRAMME,
        household=membership.household,
        person=person,
        on=on,
        facts=facts,
        note=note or ("孤儿基本生活费：机构养育" if in_institution else "孤儿基本生活费：散居"),
        case=case,
    )
    params = params_in_force(PROGRAMME, on, area=enrolment.area_code).values
    enrolment.support_mode = "centralised" if in_institution else "scattered"
    enrolment.next_review_due = next_review_due(person, on, params)
    enrolment.save(update_fields=["support_mode", "next_review_due"])
    return enrolment


# --------------------------------------------------------------------------------------------------- reviews


def _raised(enrolment: Enrolment, key: str) -> bool:
    return CaseEvent.objects.filter(case__enrolment=enrolment, data__trigger=key).exists()


def review_raise(
    enrolment: Enrolment, *, reason: str, reason_en: str, key: str, on: dt.date, actor=None
) -> Case | None:
    """Open a review of the child's allowance (or add the reason to the one open), once per ``key``; inside the
    caller's transaction. Returns the case, or None when this trigger was raised before."""
    if _raised(enrolment, key):
        return None
    case = Case.objects.filter(enrolment=enrolment, kind=CaseKind.REVIEW, state__in=OPEN_STATES).first()
    opened = case is None
    if opened:
        case = Case(
            kind=CaseKind.REVIEW,
            programme_id=enrolment.programme_id,
            household_id=enrolment.household_id,
            applicant_id=enrolment.person_id,
            enrolment=enrolment,
            area_code=enrolment.area_code,
            state=CaseState.ACCEPTED,
            created_by=actor if actor is not None else enrolment.case.created_by,
            accepted_on=on,
            state_since=on,
        )
        due = add_working_days(on, REVIEW_DAYS, WorkCalendar.load())  # the township's review, in working days
        case.step_due, case.step_due_complete = due.due, due.calendar_complete
        case.total_due, case.total_due_complete = due.due, due.calendar_complete
        case.save()
    CaseEvent.objects.create(
        case=case,
        on=on,
        actor=actor if actor is not None else case.created_by,
        move=CaseEventMove.REVIEW_OPENED,
        from_state="" if opened else case.state,
        to_state=case.state,
        note=reason,
        data={"trigger": key, "children_review": True, "en": reason_en},
    )
    audit_record(
        actor=actor,
        action=BenefitEvent.CHILDREN_REVIEW_RAISE,
        target=case,
        area_code=case.area_code,
        household_id=case.household_id,
        new={"enrolment": enrolment.pk, "reason": reason, "trigger": key},
    )
    return case


def review_reasons(case: Case) -> list[str]:
    return [e.note for e in case.events.all() if e.move == CaseEventMove.REVIEW_OPENED and e.data.get("trigger")]


@action
def children_reviews_run(*, actor=None, on: dt.date | None = None) -> dict:
    """The daily check (the command ``doudi children_reviews``, or a page for one's area): the 18th birthday
    month, study ended past 18, and the month of the 22nd birthday raise a review of each child paid. Rerun on
    the same or a later day, it raises nothing twice."""
    on = on or timezone.localdate()
    enrolments = Enrolment.objects.filter(programme_id=PROGRAMME, status__in=LIVE_STATUSES).select_related(
        "person", "case"
    )
    if actor is not None:
        perm_require(actor, Perm.CASES_DAILY)
        enrolments = enrolments.filter(scope.scope_q(actor, "cases.Enrolment"))
    enrolments = list(enrolments.order_by("pk"))
    proofs = _by_child(StudyProof, [e.person_id for e in enrolments])
    month = month_start(on)
    raised = {"age_18": 0, "study_end": 0, "age_22": 0}
    for e in enrolments:
        params = params_in_force(PROGRAMME, on, area=e.area_code).values
        birth = e.person.birth_date
        adult, last = birthday(birth, params["adult_age"]), birthday(birth, params["study_until_age"])
        studying = studying_on(proofs.get(e.person_id, []), on)
        if month_start(last) <= month:
            reason = f"{last:%Y-%m-%d} 年满 {params['study_until_age']} 周岁，本月起不再保障"
            reason_en = f"Turns {params['study_until_age']} on {last:%Y-%m-%d}: no longer covered from this month"
            key = f"age_{params['study_until_age']}"
            if review_raise(e, reason=reason, reason_en=reason_en, key=key, on=on, actor=actor):
                raised["age_22"] += 1
        elif month_start(adult) <= month:
            reason = f"{adult:%Y-%m-%d} 年满 {params['adult_age']} 周岁：" + (
                "有全日制在读证明，核实后可延续至22周岁生日前一个月" if studying else "没有全日制在读证明，应停发"
            )
            reason_en = f"Turns {params['adult_age']} on {adult:%Y-%m-%d}: " + (
                "proof of full-time study on file, may continue until the month before the 22nd birthday"
                if studying
                else "no proof of full-time study, to stop"
            )
            key = f"age_{params['adult_age']}"
            if review_raise(e, reason=reason, reason_en=reason_en, key=key, on=on, actor=actor):
                raised["age_18"] += 1
        for p in proofs.get(e.person_id, []):
            if p.until is not None and p.until <= on and _study_end_review(p, on=on, actor=actor):
                raised["study_end"] += 1
    audit_record(
        actor=actor,
        action=BenefitEvent.CHILDREN_REVIEWS_RUN,
        kind=EventKind.BATCH,
        target_type="job",
        target_id=on.isoformat(),
        label="儿童保障复核检查",
        area_code=actor.scope_prefix.ljust(12, "0") if actor is not None else "",
        new={**raised, "on": on},
    )
    return raised


@dataclass
class ReviewOutcome:
    case: Case
    stopped_from: dt.date | None = None
    amount: Decimal | None = None


@action
def children_review_decide(*, actor, case: Case, outcome: str, reason: str, on: dt.date | None = None) -> ReviewOutcome:
    """Decide a children's allowance review: continue (the rules on the recorded facts must still qualify the
    child on the first day of the next month; the amount follows them from then) or stop from the next month."""
    perm_require(actor, Perm.CASE_DECIDE)
    on = on or timezone.localdate()
    c = Case.objects.select_for_update().filter(pk=case.pk, kind=CaseKind.REVIEW, programme_id=PROGRAMME).first()
    if c is None or not covers(actor, c.area_code) or c.enrolment_id is None:
        raise NotFound(field="case")
    if c.state not in OPEN_STATES:
        raise Conflict("该复核已办结", "This review is decided", field="case")
    if outcome not in ("continue", "stop"):
        raise ApplicationError("请选择继续保障或停发", "Choose continue or stop", field="outcome")
    reason = text_clean(reason, field="reason", zh_label="复核意见", en_label="Reason", max_length=200, required=True)
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("person").get(pk=c.enrolment_id)
    if enrolment.status not in LIVE_STATUSES:
        raise Conflict("该儿童已停发", "The allowance has already stopped", field="case")
    month = add_months(month_start(on), 1)
    result = ReviewOutcome(case=c)
    before = c.state
    if outcome == "continue":
        # paid on from the next month: the rules must qualify the child then (an 18th birthday this month counts)
        decision, line = child_decision(enrolment.person, month)
        if decision is None or line is None or not line.counted:
            why = "；".join(r["zh"] for r in (decision.reasons_ineligible if decision else [])) or "不符合条件"
            raise ApplicationError(
                f"按登记的父母情况和就读情况测算，已不符合条件，不能继续保障：{why}",
                "On the recorded facts the child no longer qualifies",
                field="outcome",
                code="not_eligible",
            )
        if line.amount != enrolment.monthly_amount:
            enrolment_change_record(
                enrolment, amount=line.amount, month=month, actor=actor, case=c, reason=f"复核后核定：{reason}"
            )
        params = params_in_force(PROGRAMME, on, area=enrolment.area_code).values
        enrolment.next_review_due = next_review_due(enrolment.person, on, params)
        enrolment.save(update_fields=["next_review_due"])
        c.state, c.decision_amount, c.decision_explanation = CaseState.APPROVED, line.amount, decision.as_dict()
        result.amount = line.amount
    else:
        enrolment_terminate(enrolment, month=month, on=on, actor=actor, case=c, reason=f"复核停发：{reason}")
        c.state, c.refusal_reason = CaseState.REFUSED, reason
        result.stopped_from = month
    c.decided_by, c.decided_on, c.state_since, c.step_due, c.total_due = actor, on, on, None, None
    c.save()
    CaseEvent.objects.create(
        case=c,
        on=on,
        actor=actor,
        move="approve" if outcome == "continue" else "refuse",
        from_state=before,
        to_state=c.state,
        note=reason,
        data={"outcome": outcome},
    )
    audit_record(
        actor=actor,
        action=BenefitEvent.CHILDREN_REVIEW_DECIDE,
        target=c,
        area_code=c.area_code,
        household_id=c.household_id,
        new={
            "outcome": outcome,
            "reason": reason,
            **({"month": month} if outcome == "stop" else {"amount": result.amount or ZERO}),
        },
    )
    return result


# --------------------------------------------------------------------------------------------------- the list


@dataclass
class ChildRow:
    enrolment: Enrolment
    person: Person
    village: str
    amount: Decimal
    kind: str  # orphan | de_facto | "" (the rules no longer qualify the child: a review is due)
    in_institution: bool
    next_review_due: dt.date
    turns_18: dt.date
    studying: bool
    review_open: Case | None


def children_list(user, *, on: dt.date, prefix: str = "") -> list[ChildRow]:
    """Every child paid the allowance in the user's area (or ``prefix`` within it), with the category the rules
    give on ``on`` from the recorded facts, the amount, the next review and the 18th birthday."""
    perm_require(user, Perm.CASE_VIEW)
    qs = scope.visible(user, "cases.Enrolment").filter(programme_id=PROGRAMME, status__in=LIVE_STATUSES)
    if prefix:
        qs = qs.filter(area_code__startswith=prefix)
    enrolments = list(qs.select_related("person", "household__area").order_by("area_code", "person__birth_date", "pk"))
    households = list({e.household_id: e.household for e in enrolments}.values())
    people = [e.person_id for e in enrolments]
    situations, proofs = _by_child(ParentSituation, people), _by_child(StudyProof, people)
    institution = {e.person_id for e in enrolments if e.support_mode == "centralised"}
    facts_by_household = {
        h.pk: _with_records(f, on, situations, proofs, institution)
        for h, f in zip(households, household_inputs(households), strict=True)
    }
    reviews = {
        c.enrolment_id: c
        for c in Case.objects.filter(
            enrolment__in=[e.pk for e in enrolments], kind=CaseKind.REVIEW, state__in=OPEN_STATES
        )
    }
    rows = []
    for e in enrolments:
        facts = facts_by_household[e.household_id]
        decision = evaluate(PROGRAMME, facts, on)
        line = person_line(decision, facts, e.person_id)
        params = decision.parameters
        rows.append(
            ChildRow(
                enrolment=e,
                person=e.person,
                village=e.household.area.name,
                amount=e.monthly_amount,
                kind=(line.detail or {}).get("kind", "") if line is not None and line.counted else "",
                in_institution=e.support_mode == "centralised",
                next_review_due=e.next_review_due,
                turns_18=birthday(e.person.birth_date, params["adult_age"]),
                studying=studying_on(proofs.get(e.person_id, []), on),
                review_open=reviews.get(e.pk),
            )
        )
    return rows


def children_reviews_open(user):
    """The open children's allowance reviews in the user's area, oldest first (the caseworker's work)."""
    return (
        scope.visible(user, "cases.Case")
        .filter(kind=CaseKind.REVIEW, programme_id=PROGRAMME, state__in=OPEN_STATES)
        .select_related("applicant", "household")
        .prefetch_related("events")
        .order_by("accepted_on", "pk")
    )
