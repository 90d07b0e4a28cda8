"""evaluate(): the entry point. Rules are code (one module per programme, ``RULES``), parameters are data (the
versions in force of the programme and of the programmes it ``reads``, doudi/programmes/shapes)."""

from __future__ import annotations

import datetime as dt

from doudi.core.errors import ApplicationError
from doudi.core.validation import date_range_check
from doudi.programmes.selectors import params_in_force
from doudi.programmes.shapes import CASE_PROGRAMMES, SHAPES

from .children import evaluate_children
from .decision import Decision
from .dibao import evaluate_dibao
from .disability import evaluate_disability
from .elderly import evaluate_elderly
from .funeral import evaluate_funeral
from .inputs import HouseholdInput
from .medical import evaluate_medical
from .tekun import evaluate_tekun
from .temporary import evaluate_temporary
from .veterans import evaluate_veterans

# Each programme's rules: fn(household, params, on, *, reads, in_county) -> Decision, where ``params`` are the
# programme's own parameters in force and ``reads`` the parameters of the programmes its shape reads.
RULES = {
    "dibao": evaluate_dibao,
    "tekun": evaluate_tekun,
    "temporary": evaluate_temporary,
    "medical": evaluate_medical,
    "elderly": evaluate_elderly,
    "children": evaluate_children,
    "disability": evaluate_disability,
    "funeral": evaluate_funeral,
    "veterans": evaluate_veterans,
}
PROGRAMMES = tuple(SHAPES)
# Programmes a registered household can be evaluated for from the registry alone (a household's decision page,
# batch evaluation): the others need an event (a hardship, a claim, a funeral) or facts the registry does not hold.
HOUSEHOLD_PROGRAMMES = CASE_PROGRAMMES


def evaluate(programme: str, household: HouseholdInput, on: dt.date, *, draft=None) -> Decision:
    if programme not in RULES:
        shown = str(programme)[:30]
        raise ApplicationError(
            f"未知的救助项目：{shown}", f"Unknown programme: {shown}", field="programme", code="unknown_programme"
        )
    date_range_check(on, field="on", zh_label="测算日期", en_label="Evaluation date")

    def params(code):  # read once per batch inside params_memo() (programmes.selectors), the draft's included
        return params_in_force(code, on, household.area, draft=draft if draft and draft.programme_id == code else None)

    # An event's parameters are those in force on its date (temporary assistance: the dibao standard on the date
    # of the hardship; medical assistance: the settlement's date).
    event = getattr(household, SHAPES[programme].event or "", None)
    if getattr(event, "date", None) is not None:
        on = event.date
    own = params(programme)
    reads = {code: params(code).values for code in SHAPES[programme].reads}
    # a household registered where it lives with its hukou elsewhere is outside the county for every programme;
    # temporary assistance, given where the hardship happens, reads ``hukou_in_county`` itself
    in_county = own.in_county and household.hukou_in_county
    return RULES[programme](household, own.values, on, reads=reads, in_county=in_county)


__all__ = ["evaluate", "Decision", "HouseholdInput", "PROGRAMMES", "CASE_PROGRAMMES", "HOUSEHOLD_PROGRAMMES", "RULES"]
