"""The payroll's moves as data, like the case procedure (doudi/cases/workflow.py): from which states each move
may be made, the state it leads to and the permission it needs. Actions refuse any move not listed here; pages
show only the buttons a person may press (``available_moves``)."""

from __future__ import annotations

from dataclasses import dataclass

from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers

from .models import PayrollState as S


@dataclass(frozen=True)
class PayrollMove:
    code: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change (or is decided by the move, as a bank return)
    perm: str
    zh: str
    en: str


MOVES = {
    m.code: m
    for m in [
        PayrollMove("check", (S.DRAFT,), S.CHECKED, Perm.PAYROLL_GENERATE, "复核无误", "Check"),
        PayrollMove("anomaly", (S.DRAFT, S.CHECKED), None, Perm.PAYROLL_GENERATE, "处理异常", "Handle an anomaly"),
        PayrollMove("approve", (S.CHECKED,), S.APPROVED, Perm.PAYROLL_APPROVE, "审批", "Approve"),
        PayrollMove("cancel", (S.DRAFT, S.CHECKED), S.CANCELLED, Perm.PAYROLL_GENERATE, "作废（全部冲销）", "Cancel"),
        PayrollMove(
            "export", (S.APPROVED, S.EXPORTED), S.EXPORTED, Perm.PAYROLL_APPROVE, "导出银行文件", "Export the bank file"
        ),
        # every line with a result → reconciled (decided by the return itself)
        PayrollMove("return", (S.EXPORTED,), None, Perm.PAYROLL_APPROVE, "导入银行回盘", "Import the bank's return"),
    ]
}


def move_allowed(actor, payroll, move: PayrollMove) -> bool:
    """A person may make a move on a payroll of their own area (not one of a wider area, which they see only as
    their part), in a state the move starts from, with the permission it names."""
    return payroll.state in move.sources and actor.has_role_perm(move.perm) and covers(actor, payroll.area_prefix)


def available_moves(actor, payroll) -> set[str]:
    return {code for code, m in MOVES.items() if move_allowed(actor, payroll, m)}
