"""The time limits of a case, computed from the working-day calendar whenever its state changes: the current
step's (workflow.STEP_LIMITS, the written refusal's 3 days) and the whole procedure's (30 working days from
acceptance, 45 with a recorded extension) [D21 §12, §17, §21, §23, §24; T21 §11, §15]."""

from __future__ import annotations

import datetime as dt

from doudi.core.workdays import WorkCalendar, add_working_days

from . import workflow as wf
from .models import Case

S = wf.CaseState
ENDED = (S.APPROVED, S.WITHDRAWN, S.REFUSED)


def step_limit(programme: str, state: str) -> int | None:
    """Working days allowed for the step that starts on entering ``state`` (None: no limit)."""
    if state == S.REFUSED:
        return wf.REFUSAL_NOTICE_DAYS
    return wf.STEP_LIMITS.get(programme, {}).get(state)


def case_deadlines_set(case: Case, on: dt.date, cal: WorkCalendar) -> None:
    """Set the case's step and total due dates for its state entered (or kept) on ``on``; the caller saves."""
    limit = step_limit(case.programme_id, case.state)
    if limit is not None:
        due = add_working_days(on, limit, cal)
        case.step_due, case.step_due_complete = due.due, due.calendar_complete
    else:
        case.step_due, case.step_due_complete = None, True
    if case.state in ENDED:
        case.total_due = None
    elif case.accepted_on:
        total = wf.TOTAL_LIMIT_EXTENDED if case.extension else wf.TOTAL_LIMIT
        due = add_working_days(case.accepted_on, total, cal)
        case.total_due, case.total_due_complete = due.due, due.calendar_complete
