"""Who may make which move of the case procedure now, and why not: the workflow table (workflow.py), the
permission each move names (doudi/accounts/roles.py), the area scope, the maker-checker rule and the few
conditions on the case itself. Used by the actions (which refuse), by the case page (which shows only the buttons
a person may press) and, as a query, by the queues.

Each condition is written twice, once for one case in Python (``move_allowed``) and once as a query filter
(``move_q``), side by side in ``CONDITIONS``; tests/cases/test_queues.py checks on varied data that the two agree
for every move and role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from doudi.accounts import scope
from doudi.accounts.scope import covers
from doudi.core.errors import PermissionDenied
from doudi.programmes.shapes import SHAPES

from . import workflow as wf
from .models import Case, HomeVisit, Survey

NOTHING = Q(pk__in=[])  # a filter no row meets (Django answers it without asking the database)
# The programmes whose cases are decided on their own pages (the children's allowance: a child's application and a
# review, doudi/benefits/children*.py, on the procedure of its shape) take none of the moves of dibao's and tekun's
# procedure (survey, verification, notice, extension, approve…) but the withdrawal (a death withdraws the person's
# open cases, doudi/benefits/life.py). Other programmes' review cases raised from an alert keep the procedure.
OWN_PROCEDURE_PROGRAMMES = tuple(code for code, shape in SHAPES.items() if shape.procedure.own_case_pages)
OWN_PROCEDURE_MOVES = ("withdraw",)
OWN_PROCEDURE_WHY = "此项目按其自身程序在项目页面办理，不走低保、特困审核确认程序"


def surveyor_ids(case: Case) -> set[int]:
    return set(Survey.surveyors.through.objects.filter(survey__case=case).values_list("staff_id", flat=True))


def _surveyed_by(actor):
    return Survey.surveyors.through.objects.filter(survey__case=OuterRef("pk"), staff_id=actor.pk)


@dataclass(frozen=True)
class Condition:
    """A condition a move needs beyond state, role and area: for one case (``holds``) and as a filter (``q``)."""

    move: str
    why: str
    holds: Callable[[object, Case], bool]
    q: Callable[[object], Q]


CONDITIONS: list[Condition] = [
    # maker-checker: nobody approves what they created or surveyed [D21 §22]
    Condition(
        "approve",
        "创建或参与调查的人员不能审批",
        holds=lambda actor, case: actor.pk != case.created_by_id and actor.pk not in surveyor_ids(case),
        q=lambda actor: ~Q(created_by_id=actor.pk) & ~Exists(_surveyed_by(actor)),
    ),
    # separately registered relatives and complaints: the county visits the home itself [D21 §11, §22]
    Condition(
        "approve",
        "单独登记或有投诉的案件须先由县级入户核查",
        holds=lambda actor, case: not (case.flagged or case.complaint) or case.home_visits.exists(),
        q=lambda actor: Q(flagged=False, complaint=False) | Exists(HomeVisit.objects.filter(case=OuterRef("pk"))),
    ),
    Condition("extend", "已经延期", holds=lambda actor, case: not case.extension, q=lambda actor: Q(extension=False)),
    Condition(
        "submit_to_county",
        "乡镇同意的须先公示",
        holds=lambda actor, case: (
            not (
                case.state == wf.CaseState.TOWNSHIP_REVIEWED
                and case.township_recommends
                and case.programme_id in wf.NOTICE_PROGRAMMES
            )
        ),
        q=lambda actor: (
            ~Q(state=wf.CaseState.TOWNSHIP_REVIEWED, township_recommends=True, programme_id__in=wf.NOTICE_PROGRAMMES)
        ),
    ),
    Condition(
        "start_notice",
        "乡镇不同意的不予公示，直接报县审批",
        holds=lambda actor, case: case.township_recommends is not False,
        q=lambda actor: ~Q(township_recommends=False),
    ),
    # the procedure as data: a programme without a public notice goes from the township to the county
    Condition(
        "start_notice",
        "该救助项目的程序没有公示",
        holds=lambda actor, case: case.programme_id in wf.NOTICE_PROGRAMMES,
        q=lambda actor: Q(programme_id__in=wf.NOTICE_PROGRAMMES),
    ),
]


def move_allowed(actor, case: Case, move: wf.Move) -> tuple[bool, str]:
    """Whether ``actor`` may make ``move`` now, and if not, why (shown to people and tested)."""
    if case.state not in move.sources:
        return False, "当前状态不能执行此操作"
    if not actor.has_role_perm(move.perm):
        return False, "您的角色不能执行此操作"
    if not covers(actor, case.area_code):
        return False, "不在您的管辖区域"
    if case.programme_id in OWN_PROCEDURE_PROGRAMMES and move.code not in OWN_PROCEDURE_MOVES:
        return False, OWN_PROCEDURE_WHY
    for condition in CONDITIONS:
        if condition.move == move.code and not condition.holds(actor, case):
            return False, condition.why
    return True, ""


def available_moves(actor, case: Case) -> list[wf.Move]:
    """Only the moves this person may make on this case now (the buttons on the case page; none for a case of a
    programme decided on its own pages, whose routes refuse them: ``own_procedure_refuse``)."""
    if case.programme_id in OWN_PROCEDURE_PROGRAMMES:
        return []
    return [m for m in wf.moves_from(case.state) if move_allowed(actor, case, m)[0]]


def own_procedure_refuse(case: Case) -> None:
    """The case procedure's own routes (the case page's moves, POST /api/v1/cases/{id}/moves/…) refuse a case of a
    programme decided on its own pages (the children's allowance: an application is withdrawn on its page, at the
    township's step only; a review is decided on the review's page). The actions that end such cases — a death or a
    move out of the county (doudi/benefits/life.py), the application's own withdrawal — call the procedure's
    withdrawal themselves."""
    if case.programme_id in OWN_PROCEDURE_PROGRAMMES:
        raise PermissionDenied(
            "该项目的申请和复核在项目页面办理",
            "This programme's applications and reviews are handled on its own pages",
            field="move",
            code="own_procedure",
        )


def move_q(actor, move: wf.Move) -> Q:
    """The cases on which ``actor`` may make ``move`` now, as a filter: ``move_allowed`` for every case at once."""
    if not actor.has_role_perm(move.perm):
        return NOTHING
    q = Q(state__in=move.sources) & scope.scope_q(actor, "cases.Case", act=True)
    if move.code not in OWN_PROCEDURE_MOVES:
        q &= ~Q(programme_id__in=OWN_PROCEDURE_PROGRAMMES)
    for condition in CONDITIONS:
        if condition.move == move.code:
            q &= condition.q(actor)
    return q


# Moves that are open on nearly every case and so do not put a case in someone's queue.
NOT_QUEUED = ("withdraw", "extend")


def mine_q(actor) -> Q:
    """The "mine" queue: open cases where ``actor`` can make a move other than withdrawing or extending."""
    q = NOTHING
    for move in wf.MOVES.values():
        if move.code not in NOT_QUEUED and actor.has_role_perm(move.perm):
            q |= move_q(actor, move)
    return q
