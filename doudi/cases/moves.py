"""Who may make which move of the case procedure now, and why not: the workflow table (workflow.py), the
permission each move names (doudi/accounts/roles.py), the area scope and the maker-checker rule. Used by the
actions (which refuse) and by the pages and queues (which show only the buttons a person may press)."""
from __future__ import annotations

from doudi.accounts.scope import covers

from . import workflow as wf
from .models import Case, Survey


def surveyor_ids(case: Case) -> set[int]:
    return set(Survey.surveyors.through.objects.filter(survey__case=case).values_list("staff_id", flat=True))


def move_allowed(actor, case: Case, move: wf.Move) -> tuple[bool, str]:
    """Whether ``actor`` may make ``move`` now, and if not, why (shown to people and tested)."""
    if case.state not in move.sources:
        return False, "当前状态不能执行此操作"
    if not actor.has_role_perm(move.perm):
        return False, "您的角色不能执行此操作"
    if not covers(actor, case.area_code):
        return False, "不在您的管辖区域"
    if move.code == "approve":
        if actor.pk == case.created_by_id or actor.pk in surveyor_ids(case):
            return False, "创建或参与调查的人员不能审批"
        if (case.flagged or case.complaint) and not case.home_visits.exists():
            return False, "单独登记或有投诉的案件须先由县级入户核查"
    if move.code == "extend" and case.extension:
        return False, "已经延期"
    if move.code == "submit_to_county" and case.state == "township_reviewed" and case.township_recommends:
        return False, "乡镇同意的须先公示"
    if move.code == "start_notice" and case.township_recommends is False:
        return False, "乡镇不同意的不予公示，直接报县审批"
    return True, ""


def available_moves(actor, case: Case) -> list[wf.Move]:
    """Only the moves this person may make on this case now (the buttons on the case page)."""
    return [m for m in wf.moves_from(case.state) if move_allowed(actor, case, m)[0]]
