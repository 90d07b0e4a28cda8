"""Payroll reads, always area-scoped. A payroll of a wider area (the county's, seen from a township) is shown to
the account only as its part: its own lines and their totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from doudi.accounts import scope

from .models import Anomaly, AnomalyStatus, EntryKind, LedgerEntry, LineStatus, Payroll, PayrollLine

ZERO = Decimal("0.00")


def payrolls_visible(user) -> QuerySet[Payroll]:
    return scope.visible(user, "payments.Payroll")


def payroll_get(user, pk, *, act: bool = False) -> Payroll:
    """A payroll the account may see (``act``: act on, i.e. of its own area); NotFound otherwise."""
    return scope.get_visible(
        user,
        "payments.Payroll",
        pk,
        act=act,
        queryset=Payroll.objects.select_related("programme", "generated_by", "approved_by"),
    )


def is_whole(user, payroll: Payroll) -> bool:
    """Whether the account sees the whole payroll (it is of the account's area), not only its part."""
    return scope.covers(user, payroll.area_prefix)


def lines_visible(user, payroll: Payroll) -> QuerySet[PayrollLine]:
    return scope.visible(user, "payments.PayrollLine").filter(payroll=payroll)


def anomalies_visible(user, payroll: Payroll) -> QuerySet[Anomaly]:
    return scope.visible(user, "payments.Anomaly").filter(payroll=payroll)


def parts(user, payrolls: list[Payroll]) -> dict[int, dict]:
    """Lines and total of each payroll as the account sees it: stored figures for a payroll of its own area, its
    own lines' figures (one query for all) for a payroll of a wider area."""
    out = {p.pk: {"lines": p.line_count, "total": p.total, "whole": True} for p in payrolls if is_whole(user, p)}
    wider = [p.pk for p in payrolls if p.pk not in out]
    if wider:
        rows = (
            scope.visible(user, "payments.PayrollLine")
            .filter(payroll_id__in=wider)
            .values("payroll_id")
            .annotate(n=Count("id"), total=Sum("amount"))
        )
        got = {r["payroll_id"]: r for r in rows}
        for pk in wider:
            r = got.get(pk, {})
            out[pk] = {"lines": r.get("n", 0), "total": Decimal(r.get("total") or ZERO).quantize(ZERO), "whole": False}
    return out


def part_summary(user, payroll: Payroll) -> dict:
    """The account's part of a payroll: lines, total, failed (lines the bank returned), open anomalies. For the
    whole payroll these are stored figures (the payroll's, and its bank returns'), not a pass over its lines."""
    open_anomalies = anomalies_visible(user, payroll).filter(status=AnomalyStatus.OPEN).count()
    if is_whole(user, payroll):
        failed = payroll.returns.aggregate(n=Sum("failed"), total=Sum("failed_total"))
        return {
            "lines": payroll.line_count,
            "total": payroll.total,
            "failed": Decimal(failed["total"] or ZERO).quantize(ZERO),
            "failed_lines": failed["n"] or 0,
            "open_anomalies": open_anomalies,
        }
    agg = lines_visible(user, payroll).aggregate(
        n=Count("id"),
        total=Sum("amount"),
        failed=Sum("amount", filter=Q(status=LineStatus.FAILED)),
        failed_n=Count("id", filter=Q(status=LineStatus.FAILED)),
    )
    return {
        "lines": agg["n"],
        "total": Decimal(agg["total"] or ZERO).quantize(ZERO),
        "failed": Decimal(agg["failed"] or ZERO).quantize(ZERO),
        "failed_lines": agg["failed_n"],
        "open_anomalies": open_anomalies,
    }


def paid_per_month(enrolment_id: int, since: dt.date) -> dict[dt.date, Decimal]:
    """Net money put in payrolls for an enrolment, per service month from ``since`` on (payments less their
    reversals)."""
    rows = (
        LedgerEntry.objects.filter(enrolment_id=enrolment_id, month__gte=since)
        .filter(Q(kind=EntryKind.PAYMENT) | Q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.PAYMENT))
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    return dict(rows)


def payroll_summary(payroll_id: int) -> str:
    """One line naming a payroll and its totals, as a finished job's box and a confirmation say it:
    "2026年11月最低生活保障月度发放表：328户，合计98,765.00元"."""
    p = Payroll.objects.select_related("programme").filter(pk=payroll_id).first()
    return payroll_title(p) if p else ""


def payroll_title(p: Payroll) -> str:
    return _("%(year)s年%(month)s月%(programme)s%(kind)s表：%(n)s户，合计%(total)s元") % {
        "year": p.month.year,
        "month": p.month.month,
        "programme": p.programme.name_zh,
        "kind": p.get_kind_display(),
        "n": p.line_count,
        "total": f"{p.total:,.2f}",
    }
