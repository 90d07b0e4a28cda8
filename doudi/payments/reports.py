"""Figures for the bureau's reports: person-months paid and amounts by programme, township, urban/rural and
month, and the cumulative monthly per-capita subsidy (amount paid ÷ person-months)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum

from .models import PayrollLine

PAID_STATES = ["approved", "exported", "reconciled"]


def paid_figures(user, *, year: int, programme: str | None = None) -> dict:
    """Lines of approved payrolls (not returned by the bank) for service months in ``year``. A line covering
    several months (arrears) counts each month: person-months = members × months."""
    qs = (
        PayrollLine.objects.filter(payroll__state__in=PAID_STATES, area_code__startswith=user.scope_prefix)
        .exclude(status="failed")
        .filter(payroll__month__year=year)
    )
    if programme:
        qs = qs.filter(payroll__programme_id=programme)
    rows = defaultdict(lambda: {"person_months": 0, "amount": Decimal("0.00"), "households": 0})
    totals = defaultdict(lambda: {"person_months": 0, "amount": Decimal("0.00")})
    for line in qs.values(
        "payroll__programme_id", "area_code", "hukou_type", "payroll__month", "members", "months", "amount"
    ).iterator(chunk_size=10_000):
        months = max(len(line["months"]), 1)
        key = (line["payroll__programme_id"], line["area_code"][:9] + "000", line["hukou_type"], line["payroll__month"])
        r = rows[key]
        r["person_months"] += line["members"] * months
        r["amount"] += line["amount"]
        r["households"] += 1
        t = totals[(line["payroll__programme_id"], line["hukou_type"])]
        t["person_months"] += line["members"] * months
        t["amount"] += line["amount"]
    per_capita = {
        f"{prog}/{hukou}": {
            **t,
            "per_capita": (t["amount"] / t["person_months"]).quantize(Decimal("0.1"))
            if t["person_months"]
            else Decimal("0"),
        }
        for (prog, hukou), t in sorted(totals.items())
    }
    return {
        "rows": [
            {"programme": k[0], "township": k[1], "hukou_type": k[2], "month": k[3], **v}
            for k, v in sorted(rows.items())
        ],
        "per_capita": per_capita,
    }


def payroll_summary(payroll) -> list[dict]:
    return list(
        PayrollLine.objects.filter(payroll=payroll).values("status").annotate(n=Count("id"), total=Sum("amount"))
    )
