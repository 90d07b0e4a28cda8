from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Router, Schema
from ninja.responses import Status

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.api.types import MONTH_PATTERN, Key
from doudi.core.validation import DATE_MAX, DATE_MIN, month_clean
from doudi.programmes.shapes import CASE_PROGRAMMES as PROGRAMMES

from . import actions, reports, selectors, totals, workflow
from .generation import payroll_generate
from .models import AnomalyStatus, PayrollKind

router = Router(tags=["payments"])


class GenerateIn(Schema):
    programme: Literal[PROGRAMMES]
    month: Annotated[str, Field(pattern=MONTH_PATTERN, description="YYYY-MM, 1900-01 – 2099-12")]
    kind: Literal[tuple(PayrollKind.values)] = "regular"


class TotalsOut(Schema):
    """The three totals as stored when last computed: they must agree to the fen."""

    ledger: str
    lines: str
    bank_file: str | None = Field(description="null before the bank file is exported")
    agree: bool
    computed_at: str | None


class PayrollOut(Schema):
    id: int
    programme: str
    month: dt.date
    kind: str
    state: str
    part_only: bool = Field(description="true: a payroll of a wider area, shown as the caller's part only")
    lines: int
    total: str = Field(description="yuan, two decimals")
    totals: TotalsOut | None = Field(description="null for a part: the whole payroll's totals are not shown")
    open_anomalies: int


class FigureRowOut(Schema):
    programme: str
    township: str
    hukou_type: str
    month: dt.date
    households: int
    person_months: int
    amount: str


class PerCapitaOut(Schema):
    person_months: int
    amount: str
    per_capita: str


class FiguresOut(Schema):
    rows: list[FigureRowOut]
    per_capita: dict[str, PerCapitaOut] = Field(description="keyed by programme/hukou type, e.g. dibao/rural")


def out(p, user) -> dict:
    """The whole payroll for an account of its area; for an account below it, only that account's part."""
    if not selectors.is_whole(user, p):
        part = selectors.part_summary(user, p)
        return {
            "id": p.pk,
            "programme": p.programme_id,
            "month": p.month,
            "kind": p.kind,
            "state": p.state,
            "part_only": True,
            "lines": part["lines"],
            "total": f"{part['total']:.2f}",
            "totals": None,
            "open_anomalies": part["open_anomalies"],
        }
    return {
        "id": p.pk,
        "programme": p.programme_id,
        "month": p.month,
        "kind": p.kind,
        "state": p.state,
        "part_only": False,
        "lines": p.line_count,
        "total": f"{p.total:.2f}",
        "totals": _totals(p),
        "open_anomalies": p.anomalies.filter(status=AnomalyStatus.OPEN).count(),
    }


def _totals(p) -> dict:
    """The three totals as stored when last computed (docs/payments.md), and when."""
    t = totals.stored(p)
    return {
        "ledger": t["ledger"],
        "lines": t["lines"],
        "bank_file": t["bank_file"],
        "agree": t["agree"],
        "computed_at": t["at"].isoformat() if t["at"] else None,
    }


@router.post("/payrolls", response={201: PayrollOut}, summary="Generate (or return) a programme-month payroll")
def payroll_create(request, body: GenerateIn):
    month = month_clean(body.month, field="month", zh_label="发放月份", en_label="Month")
    return Status(
        201,
        out(payroll_generate(actor=request.user, programme=body.programme, month=month, kind=body.kind), request.user),
    )


@router.get("/payrolls/{payroll_id}", response=PayrollOut)
def payroll_detail(request, payroll_id: Key):
    perm_require(request.user, Perm.PAYROLL_VIEW)
    return out(selectors.payroll_get(request.user, payroll_id), request.user)


@router.post("/payrolls/{payroll_id}/{verb}", response=PayrollOut, summary="check | approve")
def payroll_verb(request, payroll_id: Key, verb: Literal["check", "approve"]):
    perm_require(request.user, workflow.MOVES[verb].perm)
    p = selectors.payroll_get(request.user, payroll_id, act=True)
    if verb == "check":
        p = actions.payroll_check(actor=request.user, payroll=p)
    else:
        p = actions.payroll_approve(actor=request.user, payroll=p)
    return out(p, request.user)


@router.get("/payment-figures", response=FiguresOut)
def figures(
    request,
    year: Annotated[int, Field(ge=DATE_MIN.year, le=DATE_MAX.year)],
    programme: Literal[("", *PROGRAMMES)] = "",
):
    perm_require(request.user, Perm.PAYROLL_VIEW)
    data = reports.paid_figures(request.user, year=year, programme=programme or None)
    return {
        "rows": [{**r, "amount": f"{r['amount']:.2f}"} for r in data["rows"]],
        "per_capita": {
            k: {"person_months": v["person_months"], "amount": f"{v['amount']:.2f}", "per_capita": str(v["per_capita"])}
            for k, v in data["per_capita"].items()
        },
    }
