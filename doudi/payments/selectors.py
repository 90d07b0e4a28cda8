"""Payroll reads, always area-scoped. A payroll of a wider area (the county's, seen from a township) is shown to
the account only as its part: its own lines and their totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.programmes.models import Programme

from . import workflow
from .models import (
    Anomaly,
    AnomalyStatus,
    EntryKind,
    LedgerEntry,
    LineStatus,
    Payroll,
    PayrollKind,
    PayrollLine,
    PayrollState,
    Recovery,
)

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


# ---- the home page: payrolls and anomalies waiting for someone ----------------------------------------------------
HOME_LIMIT = 8
FAILURE_MONTHS = 3  # bank failures listed from the payrolls of the last three months
OPEN_STATES = (PayrollState.DRAFT, PayrollState.CHECKED, PayrollState.APPROVED, PayrollState.EXPORTED)
WORK_MOVES = ("check", "approve", "export", "return")  # the moves that move a payroll on (not cancel or anomaly)


def payrolls_waiting(user, *, limit: int = 20) -> list[Payroll]:
    """Payrolls of the person's own area still on their way (draft, checked, approved, exported), each with the
    move that is theirs to make next (``next_moves``), ``open_anomalies`` and, when the next approval is not
    theirs to give because they generated it, ``maker``. One query."""
    if not (user.has_role_perm(Perm.PAYROLL_GENERATE) or user.has_role_perm(Perm.PAYROLL_APPROVE)):
        return []
    anomalies = Anomaly.objects.filter(payroll=OuterRef("pk"), status="open").order_by().values("payroll")
    payrolls = list(
        scope.visible(user, "payments.Payroll", act=True)
        .filter(state__in=OPEN_STATES)
        .select_related("programme", "generated_by")
        .annotate(open_anomalies=Subquery(anomalies.annotate(n=Count("id")).values("n")[:1]))
        .order_by("month", "id")[:limit]
    )
    for p in payrolls:
        p.open_anomalies = p.open_anomalies or 0
        p.maker = p.generated_by_id == user.pk
        moves = workflow.available_moves(user, p)
        p.next_moves = [
            workflow.MOVES[code]
            for code in WORK_MOVES
            if code in moves and not (code == "approve" and p.maker) and not (code == "check" and p.open_anomalies)
        ]
        if p.open_anomalies and "anomaly" in moves:
            p.next_moves.insert(0, workflow.MOVES["anomaly"])
    return payrolls


def payrolls_not_generated(user, *, month: dt.date) -> list:
    """Programmes with enrolments being paid in the person's area and no regular payroll of the area for
    ``month`` yet (for those who generate payrolls). Two queries."""
    if not user.has_role_perm(Perm.PAYROLL_GENERATE):
        return []
    prefix = user.scope_prefix
    made = set(
        Payroll.objects.filter(month=month, area_prefix=prefix, kind=PayrollKind.REGULAR)
        .exclude(state=PayrollState.CANCELLED)
        .values_list("programme_id", flat=True)
    )
    paying = scope.visible(user, "cases.Enrolment").filter(
        start_month__lte=month, status__in=["active", "gradual_exit"]
    )
    # one small query per programme (there are a handful), each stopping at the first enrolment it finds
    return [
        (p.code, p.name_zh, p.name_en)
        for p in Programme.objects.exclude(code__in=made).order_by("code")
        if paying.filter(programme=p).exists()
    ]


def bank_failures(user, *, since: dt.date, limit: int = HOME_LIMIT) -> dict:
    """Lines the bank returned as failed, in payrolls from ``since`` on, newest first: the household's account to
    correct and the money to pay again. One query for the count, one for the lines."""
    if not (user.has_role_perm(Perm.PAYROLL_VIEW) or user.has_role_perm(Perm.REGISTRY_EDIT)):
        return {"items": [], "count": 0}
    # the payrolls first (a few a month), so the lines are found by their (payroll, status) index
    payrolls = list(scope.visible(user, "payments.Payroll").filter(month__gte=since).values_list("pk", flat=True))
    qs = scope.visible(user, "payments.PayrollLine").filter(payroll_id__in=payrolls, status=LineStatus.FAILED)
    items = list(qs.select_related("payroll__programme", "household").order_by("-payroll__month", "id")[:limit])
    return {"items": items, "count": qs.count()}


def overpayments_open(user, *, limit: int = HOME_LIMIT) -> dict:
    """Overpayments still to recover in the person's area, each with what was ``recovered`` so far and the
    ``outstanding`` rest. One query for the count, one for the lines."""
    if not (user.has_role_perm(Perm.PAYROLL_VIEW) or user.has_role_perm(Perm.CASE_CREATE)):
        return {"items": [], "count": 0}
    qs = scope.visible(user, "cases.Overpayment").filter(status="open")
    recovered = (
        Recovery.objects.filter(overpayment=OuterRef("pk")).order_by().values("overpayment").annotate(s=Sum("amount"))
    )
    items = list(
        qs.select_related("enrolment__household", "enrolment__programme")
        .annotate(recovered=Subquery(recovered.values("s")[:1]))
        .order_by("created_at", "id")[:limit]
    )
    for o in items:
        o.recovered = Decimal(o.recovered or ZERO).quantize(ZERO)
        o.outstanding = o.amount - o.recovered
    return {"items": items, "count": qs.count()}


# ---- the household page: payments month by month ------------------------------------------------------------------
def household_payments(user, household, *, limit: int = 240) -> list[PayrollLine]:
    """The household's payroll lines the person's area covers, newest month first (cancelled payrolls left out),
    each with its payroll and programme. One query."""
    return list(
        scope.visible(user, "payments.PayrollLine")
        .filter(household=household)
        .exclude(payroll__state=PayrollState.CANCELLED)
        .select_related("payroll__programme")
        .order_by("-payroll__month", "-id")[:limit]
    )


def household_recoveries(user, household) -> list[Recovery]:
    """What was recovered on the household's overpayments: offsets against payments and repayments. One query."""
    return list(
        scope.visible(user, "payments.Recovery")
        .filter(overpayment__enrolment__household=household)
        .select_related("overpayment", "line__payroll")
        .order_by("-created_at", "-id")
    )
