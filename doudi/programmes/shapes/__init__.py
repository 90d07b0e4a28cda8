"""Every programme the bureau runs, by code: its shape (identity, payment, parameter schema, procedure, demo
pack). Adding a programme adds its module here and its rules module to ``rules.RULES`` (docs/policy.md,
"Adding a programme"); tests/programmes/test_shapes.py checks the two agree."""

from __future__ import annotations

from doudi.programmes.spec import ProgrammeShape

from . import children, dibao, disability, elderly, funeral, medical, tekun, temporary, veterans

SHAPES: dict[str, ProgrammeShape] = {
    s.code: s
    for s in (
        dibao.SHAPE,
        tekun.SHAPE,
        temporary.SHAPE,
        medical.SHAPE,
        elderly.SHAPE,
        children.SHAPE,
        disability.SHAPE,
        funeral.SHAPE,
        veterans.SHAPE,
    )
}

# Programmes decided through the case procedure (doudi/cases): applications, surveys, notices, decisions.
CASE_PROGRAMMES = tuple(code for code, s in SHAPES.items() if s.procedure.through_case)

# Programmes that pay once (temporary, medical, funeral): an amount, not a month's; no review, no change report.
ONE_OFF_PROGRAMMES = frozenset(code for code, s in SHAPES.items() if s.payment == "once")

__all__ = ["SHAPES", "CASE_PROGRAMMES", "ONE_OFF_PROGRAMMES"]
