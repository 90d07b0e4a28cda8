"""/api/v1 for the old-age allowance rosters confirmed by the village (rosters.py): the month's villages, one
village's roster, and its confirmation — the same selectors, action, scope and audit as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Router, Schema

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.api.types import MONTH_PATTERN, Key, Text
from doudi.core.idnumber import id_mask
from doudi.core.validation import month_clean

from . import selectors
from .models import RosterMark
from .rosters import NOTE_MAX, Mark, elderly_roster_confirm

router = Router(tags=["benefits"])

MARKS = tuple(m for m in RosterMark.values if m != RosterMark.PENDING)


class RosterOut(Schema):
    id: int
    area_code: str
    month: dt.date
    state: Literal[("open", "confirmed")]
    people: int
    total: str = Field(description="yuan, two decimals")
    marks: dict[str, int] = Field(description="people by mark: pending, present, moved, died, disputed")
    confirmed_at: dt.datetime | None


class LineOut(Schema):
    id: int
    person_id: int
    name: str
    id_number: str = Field(description="masked: the first 6 and last 4 characters")
    birth_date: dt.date | None
    amount: str
    mark: Literal[tuple(RosterMark.values)]
    note: str


class RosterDetailOut(RosterOut):
    lines: list[LineOut]


class MarkIn(Schema):
    line_id: Key
    mark: Literal[MARKS]
    note: Text(NOTE_MAX) = ""


class ConfirmIn(Schema):
    lines: list[MarkIn] = Field(max_length=20_000, description="every person of the roster, each once")


def _out(r, lines=None) -> dict:
    if lines is None:
        counts = {m: getattr(r, f"n_{m}") for m in RosterMark.values}
        people, total = r.people, r.total or 0
    else:
        counts = {m: sum(1 for x in lines if x.mark == m) for m in RosterMark.values}
        people, total = len(lines), sum((x.amount for x in lines), start=0)
    data = {
        "id": r.pk,
        "area_code": r.area_code,
        "month": r.month,
        "state": r.state,
        "people": people,
        "total": f"{total:.2f}",
        "marks": counts,
        "confirmed_at": r.confirmed_at,
    }
    if lines is not None:
        data["lines"] = [
            {
                "id": x.pk,
                "person_id": x.person_id,
                "name": x.person.name,
                "id_number": id_mask(x.person.id_number),
                "birth_date": x.person.birth_date,
                "amount": f"{x.amount:.2f}",
                "mark": x.mark,
                "note": x.note,
            }
            for x in lines
        ]
    return data


@router.get("/elderly-rosters", response=list[RosterOut], summary="The month's village rosters, not confirmed first")
def roster_list(request, month: Annotated[str, Field(pattern=MONTH_PATTERN, description="YYYY-MM")]):
    perm_require(request.user, Perm.CASE_VIEW)
    m = month_clean(month, field="month", zh_label="名册月份", en_label="Month")
    return [_out(r) for r in selectors.rosters_of_month(request.user, m)]


@router.get("/elderly-rosters/{roster_id}", response=RosterDetailOut)
def roster_detail(request, roster_id: Key):
    perm_require(request.user, Perm.CASE_VIEW)
    roster = selectors.roster_get(request.user, roster_id)
    return _out(roster, list(selectors.roster_lines(roster)))


@router.post(
    "/elderly-rosters/{roster_id}/confirm",
    response=RosterDetailOut,
    summary="The village confirms its roster: every person marked, whole or nothing",
)
def roster_confirm(request, roster_id: Key, body: ConfirmIn):
    perm_require(request.user, Perm.ROSTER_CONFIRM)
    roster = selectors.roster_get(request.user, roster_id)
    marks = [Mark(x.line_id, x.mark, x.note) for x in body.lines]
    roster = elderly_roster_confirm(actor=request.user, roster=roster, marks=marks)
    return _out(roster, list(selectors.roster_lines(roster)))
