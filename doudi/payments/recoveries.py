"""Recovery of overpayments, set-based: offsets taken from lines that were not paid are given back, and each
overpayment's status follows what has been recovered on it. Called inside the actions' (and generation's)
transactions, which audit the change they belong to."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from doudi.cases.models import OverpaymentStatus
from doudi.core.sql import fen

from .models import PayrollLine, Recovery

UNPAID_NOTE = "发放未成功，抵扣冲回"


def offsets_undo(lines: QuerySet[PayrollLine], *, actor, note: str = UNPAID_NOTE) -> int:
    """Give back what was offset from ``lines`` (a cancelled payroll's, or lines the bank returned): a reversing
    recovery per offset not already given back, in one ``INSERT … SELECT``; then refresh the overpayments
    concerned. Returns the number of offsets given back."""
    sub, params = lines.order_by().values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO payments_recovery (overpayment_id, kind, amount, line_id, note, created_by_id,
                                                          created_at, recovered_on)
                           SELECT r.overpayment_id, 'reversal', -r.amount, r.line_id, %s, %s, CURRENT_TIMESTAMP,
                                  r.recovered_on
                           FROM payments_recovery r
                           WHERE r.kind = 'offset' AND r.line_id IN ({sub})
                             AND NOT EXISTS (SELECT 1 FROM payments_recovery x WHERE x.kind = 'reversal'
                                             AND x.line_id = r.line_id AND x.overpayment_id = r.overpayment_id)""",
            [note, getattr(actor, "pk", None), *params],
        )
        undone = cursor.rowcount
    overpayments_refresh(Recovery.objects.filter(line__in=lines.order_by().values("id")).values("overpayment_id"))
    return undone


def overpayments_refresh(ids) -> int:
    """Set each overpayment in ``ids`` (a list or a queryset of keys) recovered when what was recovered on it
    (offsets, repayments, less reversals) covers its amount, open otherwise; a written-off one is left as it is.
    One ``UPDATE`` with the sums as a subquery, compared in integer fen. Returns the number changed."""
    if isinstance(ids, QuerySet):
        sub, params = ids.order_by().query.sql_with_params()
    else:
        ids = list(ids)
        if not ids:
            return 0
        sub, params = ", ".join(["%s"] * len(ids)), ids
    got = f"""COALESCE((SELECT SUM({fen("r.amount")}) FROM payments_recovery r
                        WHERE r.overpayment_id = cases_overpayment.id), 0)"""
    status = f"CASE WHEN {got} >= {fen('cases_overpayment.amount')} THEN '{OverpaymentStatus.RECOVERED}' ELSE '{OverpaymentStatus.OPEN}' END"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE cases_overpayment SET status = {status}
                           WHERE id IN ({sub}) AND status <> '{OverpaymentStatus.WRITTEN_OFF}' AND status <> {status}""",
            params,
        )
        return cursor.rowcount
