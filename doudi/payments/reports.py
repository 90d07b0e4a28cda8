"""Figures for the bureau's reports: person-months paid and amounts by programme, township, urban/rural and
month, and the cumulative monthly per-capita subsidy (amount paid ÷ person-months)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import BigIntegerField, CharField, Count, F, Func, IntegerField, Sum, Value
from django.db.models.functions import Concat, Greatest, Substr

from doudi.accounts import scope

PAID_STATES = ["approved", "exported", "reconciled"]


class JSONArrayLength(Func):
    """The number of elements of a JSON array column (``PayrollLine.months``)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        function = "jsonb_array_length" if connection.vendor == "postgresql" else "json_array_length"
        return super().as_sql(compiler, connection, function=function, **extra)


class Fen(Func):
    """An amount in integer fen (core.sql.fen), so sums are exact on SQLite too."""

    template = "CAST(ROUND(%(expressions)s * 100) AS BIGINT)"
    output_field = BigIntegerField()


def paid_figures(user, *, year: int, programme: str | None = None) -> dict:
    """Lines of approved payrolls (not returned by the bank) for service months in ``year``. A line covering
    several months (arrears) counts each month: person-months = members × months. Summed in the database, one
    row per programme, township, urban/rural and month."""
    qs = (
        scope.visible(user, "payments.PayrollLine")
        .filter(payroll__state__in=PAID_STATES)
        .exclude(status="failed")
        .filter(payroll__month__year=year)
    )
    if programme:
        qs = qs.filter(payroll__programme_id=programme)
    grouped = (
        qs.annotate(township=Concat(Substr("area_code", 1, 9), Value("000"), output_field=CharField()))
        .values("payroll__programme_id", "township", "hukou_type", "payroll__month")
        .annotate(
            households=Count("id"),
            person_months=Sum(F("members") * Greatest(JSONArrayLength("months"), Value(1))),
            amount_fen=Sum(Fen("amount")),
        )
        .order_by("payroll__programme_id", "township", "hukou_type", "payroll__month")
    )
    rows, totals = [], defaultdict(lambda: {"person_months": 0, "amount": Decimal("0.00")})
    for r in grouped:
        amount = Decimal(int(r["amount_fen"])).scaleb(-2)
        rows.append(
            {
                "programme": r["payroll__programme_id"],
                "township": r["township"],
                "hukou_type": r["hukou_type"],
                "month": r["payroll__month"],
                "person_months": int(r["person_months"]),
                "amount": amount,
                "households": r["households"],
            }
        )
        t = totals[(r["payroll__programme_id"], r["hukou_type"])]
        t["person_months"] += int(r["person_months"])
        t["amount"] += amount
    per_capita = {
        f"{prog}/{hukou}": {
            **t,
            "programme": prog,
            "hukou_type": hukou,
            "per_capita": (t["amount"] / t["person_months"]).quantize(Decimal("0.1"))
            if t["person_months"]
            else Decimal("0"),
        }
        for (prog, hukou), t in sorted(totals.items())
    }
    return {"rows": rows, "per_capita": per_capita}
