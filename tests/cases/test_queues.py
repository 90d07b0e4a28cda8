"""The queues are queries; the case page asks move_allowed case by case. On varied data (every state, flags,
complaints, home visits, surveyors, makers, township opinions, extensions, three areas) and for every role at
village, township and county level, the two must agree: for each move, the cases ``move_q`` selects are exactly
those on which ``move_allowed`` says yes, and the "mine" queue is exactly the open cases where
``available_moves`` offers something other than withdraw or extend."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from doudi.accounts.actions import staff_create
from doudi.cases import workflow as wf
from doudi.cases.models import Case, HomeVisit, Survey
from doudi.cases.moves import NOT_QUEUED, available_moves, move_allowed, move_q
from doudi.cases.selectors import case_queues

from ..conftest import PASSWORD, member
from .conftest import D

AREAS = ["511425101201", "511425101001", "511425102201"]  # a village and a community of A, a village of B


@pytest.fixture
def everyone(people):
    def make(username, role, area, **kw):
        return staff_create(
            actor=None, username=username, password=PASSWORD, role=role, area_code=area, check_password=False, **kw
        )

    more = {
        "ts_reviewer_b": make("tsr_b", "township_reviewer", "511425102000"),
        "finance": make("fin", "finance_officer", "511425000000"),
        "cadre_b": make("cadre_b", "village_cadre", "511425102201"),
        "county_reviewer_2": make("creviewer2", "county_reviewer", "511425000000"),
    }
    inactive = make("gone", "county_approver", "511425000000")
    inactive.is_active = False
    inactive.save()
    return {**people, **more, "inactive": inactive}


def varied_cases(rng: random.Random, register, everyone, n: int) -> list[Case]:
    households = [
        register(
            actor=everyone["caseworker_a" if area.startswith("511425101") else "caseworker_b"],
            area=area,
            members=[member(f"户主{i}", "1960-01-01", 100 + i, "head")],
        )
        for i, area in enumerate(AREAS)
    ]
    staff = list(everyone.values())
    cases = []
    for _ in range(n):
        h = rng.choice(households)
        c = Case.objects.create(
            programme_id=rng.choice(["dibao", "tekun"]),
            household=h,
            applicant=h.memberships.get().person,
            area_code=h.area_id,
            state=rng.choice(list(wf.STATES)),
            created_by=rng.choice(staff),
            flagged=rng.random() < 0.3,
            complaint=rng.random() < 0.3,
            extension=rng.random() < 0.3,
            township_recommends=rng.choice([None, True, False]),
            state_since=D,
        )
        if rng.random() < 0.5:
            s = Survey.objects.create(
                case=c,
                visit_date=D,
                findings="x",
                applicant_confirmed=True,
                surveyors_confirmed=True,
                recorded_by=rng.choice(staff),
            )
            s.surveyors.set(rng.sample(staff, k=rng.randint(1, 3)))
        if rng.random() < 0.3:
            HomeVisit.objects.create(case=c, visited_on=D, by=rng.choice(staff), findings="x")
        cases.append(c)
    return cases


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_queries_agree_with_move_allowed_on_varied_data(seed, register, everyone):
    rng = random.Random(seed)
    cases = varied_cases(rng, register, everyone, n=70)
    assert {c.state for c in cases} == set(wf.STATES)  # every state is tried
    for user in everyone.values():
        for move in wf.MOVES.values():
            by_case = {c.pk for c in cases if move_allowed(user, c, move)[0]}
            by_query = set(Case.objects.filter(move_q(user, move)).values_list("pk", flat=True))
            assert by_query == by_case, (user.username, move.code)
        mine = {
            c.pk
            for c in cases
            if c.state in wf.OPEN_STATES and any(m.code not in NOT_QUEUED for m in available_moves(user, c))
        }
        queue = set(case_queues(user, today=D)["mine"].values_list("pk", flat=True))
        assert queue == mine, user.username


def test_queue_conditions_each_matter(register, everyone):
    """A hand-made case for each condition, so that a condition dropped from either side fails a named test."""
    h = register(members=[member("单户", "1960-01-01", 300, "head")])
    approver, other = everyone["approver"], everyone["approver2"]

    def case(**kw):
        kw.setdefault("state", wf.CaseState.COUNTY_REVIEW)
        kw.setdefault("created_by", everyone["caseworker_a"])
        return Case.objects.create(
            programme_id="dibao", household=h, applicant=h.memberships.get().person, area_code=h.area_id, **kw
        )

    plain, own, flagged = case(), case(created_by=approver), case(flagged=True)
    surveyed = case()
    Survey.objects.create(
        case=surveyed, visit_date=D, findings="x", applicant_confirmed=True, surveyors_confirmed=True, recorded_by=other
    ).surveyors.set([approver, other])
    visited = case(complaint=True)
    HomeVisit.objects.create(case=visited, visited_on=D, by=other, findings="x")
    approve = wf.MOVES["approve"]
    assert set(Case.objects.filter(move_q(approver, approve)).values_list("pk", flat=True)) == {plain.pk, visited.pk}
    assert set(Case.objects.filter(move_q(other, approve)).values_list("pk", flat=True)) == {
        plain.pk,
        own.pk,
        visited.pk,
    }
    # (the approver may still refuse, or record a complaint on, the others: they stay in the "mine" queue)
    assert set(case_queues(approver, today=D)["mine"].values_list("pk", flat=True)) == {
        plain.pk,
        own.pk,
        flagged.pk,
        surveyed.pk,
        visited.pk,
    }
    # township opinion: recommended → notice first; not recommended → straight to the county; not yet given → both
    cw = everyone["caseworker_a"]
    yes, no, unknown = (case(state=wf.CaseState.TOWNSHIP_REVIEWED, township_recommends=v) for v in (True, False, None))
    submit, notice = wf.MOVES["submit_to_county"], wf.MOVES["start_notice"]
    assert set(Case.objects.filter(move_q(cw, submit)).values_list("pk", flat=True)) == {no.pk, unknown.pk}
    assert set(Case.objects.filter(move_q(cw, notice)).values_list("pk", flat=True)) == {yes.pk, unknown.pk}
    extended = case(extension=True)
    assert extended.pk not in set(
        Case.objects.filter(move_q(everyone["county_reviewer"], wf.MOVES["extend"])).values_list("pk", flat=True)
    )


def test_due_soon_and_overdue_are_exclusive(register, everyone):
    h = register(members=[member("期限户", "1960-01-01", 301, "head")])
    today = dt.date(2026, 3, 10)

    def case(step_due=None, total_due=None):
        return Case.objects.create(
            programme_id="dibao",
            household=h,
            applicant=h.memberships.get().person,
            area_code=h.area_id,
            state=wf.CaseState.ACCEPTED,
            created_by=everyone["caseworker_a"],
            step_due=step_due,
            total_due=total_due,
        ).pk

    late = case(step_due=today - dt.timedelta(days=1), total_due=today + dt.timedelta(days=1))
    soon = case(step_due=today + dt.timedelta(days=1))
    later = case(step_due=today + dt.timedelta(days=20), total_due=today + dt.timedelta(days=2))
    none = case()
    q = case_queues(everyone["county_reviewer"], today=today)
    overdue, due_soon = set(q["overdue"].values_list("pk", flat=True)), set(q["due_soon"].values_list("pk", flat=True))
    assert overdue == {late} and due_soon == {soon, later} and none not in overdue | due_soon
