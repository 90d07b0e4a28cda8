from __future__ import annotations

import datetime as dt

from ninja import Router, Schema
from ninja.responses import Status

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require

from . import actions, reports
from .generation import payroll_generate

router = Router(tags=["payments"])


class GenerateIn(Schema):
    programme: str
    month: str  # YYYY-MM
    kind: str = "regular"


def out(p) -> dict:
    return {"id": p.pk, "programme": p.programme_id, "month": p.month, "kind": p.kind, "state": p.state,
            "lines": p.line_count, "total": f"{p.total:.2f}", "totals": actions.payroll_totals(p),
            "open_anomalies": p.anomalies.filter(status="open").count()}


@router.post("/payrolls", response={201: dict}, summary="Generate (or return) a programme-month payroll")
def payroll_create(request, body: GenerateIn):
    from doudi.core.errors import ApplicationError

    try:
        month = dt.date.fromisoformat(body.month + "-01")
    except ValueError:
        raise ApplicationError("月份格式应为 YYYY-MM", "month must be YYYY-MM", field="month") from None
    return Status(201, out(payroll_generate(actor=request.user, programme=body.programme, month=month, kind=body.kind)))


@router.get("/payrolls/{payroll_id}")
def payroll_detail(request, payroll_id: int):
    perm_require(request.user, Perm.PAYROLL_VIEW)
    return out(actions.payroll_get(request.user, payroll_id))


@router.post("/payrolls/{payroll_id}/{verb}", summary="check | approve")
def payroll_verb(request, payroll_id: int, verb: str):
    p = actions.payroll_get(request.user, payroll_id)
    if verb == "check":
        p = actions.payroll_check(actor=request.user, payroll=p)
    elif verb == "approve":
        p = actions.payroll_approve(actor=request.user, payroll=p)
    else:
        from doudi.core.errors import NotFound
        raise NotFound()
    return out(p)


@router.get("/payment-figures")
def figures(request, year: int, programme: str = ""):
    perm_require(request.user, Perm.PAYROLL_VIEW)
    data = reports.paid_figures(request.user, year=year, programme=programme or None)
    return {"rows": [{**r, "amount": f"{r['amount']:.2f}"} for r in data["rows"]],
            "per_capita": {k: {"person_months": v["person_months"], "amount": f"{v['amount']:.2f}",
                               "per_capita": str(v["per_capita"])} for k, v in data["per_capita"].items()}}
