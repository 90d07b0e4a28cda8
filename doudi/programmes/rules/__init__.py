"""evaluate(): the entry point. Rules are code (operators.py), parameters are data (versions in force)."""

from __future__ import annotations

import datetime as dt

from doudi.core.errors import ApplicationError
from doudi.core.validation import date_range_check
from doudi.programmes.selectors import params_in_force

from .decision import Decision
from .dibao import evaluate_dibao
from .inputs import HouseholdInput
from .tekun import evaluate_tekun

PROGRAMMES = ("dibao", "tekun")


def evaluate(programme: str, household: HouseholdInput, on: dt.date, *, draft=None, params_cache=None) -> Decision:
    if programme not in PROGRAMMES:
        shown = str(programme)[:30]
        raise ApplicationError(
            f"未知的救助项目：{shown}", f"Unknown programme: {shown}", field="programme", code="unknown_programme"
        )
    date_range_check(on, field="on", zh_label="测算日期", en_label="Evaluation date")

    def params(code):
        key = (code, on, household.area)
        if params_cache is not None and key in params_cache:
            return params_cache[key]
        value = params_in_force(code, on, household.area, draft=draft if draft and draft.programme_id == code else None)
        if params_cache is not None:
            params_cache[key] = value
        return value

    if programme == "dibao":
        p = params("dibao")
        return evaluate_dibao(household, p.values, on, in_county=p.in_county)
    p, dp = params("tekun"), params("dibao")
    return evaluate_tekun(household, p.values, dp.values, on, in_county=p.in_county)


__all__ = ["evaluate", "Decision", "HouseholdInput", "PROGRAMMES"]
