"""Set-based writes to the append-only ledger. A correction is a new entry reversing an earlier one; an entry is
reversed at most once (the ``ledger_reversed_once`` constraint), so reversing the same lines again writes
nothing."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from doudi.core.sql import fen

from .models import EntryKind, PayrollLine

NOT_REVERSED = f"""e.kind <> '{EntryKind.REVERSAL}'
      AND NOT EXISTS (SELECT 1 FROM payments_ledgerentry r WHERE r.reverses_id = e.id)"""


def entries_reverse(lines: QuerySet[PayrollLine], *, batch_id: str) -> Decimal:
    """Append a reversing entry (the amount negated, the same line, enrolment, month and overpayment) for every
    entry of ``lines`` not already reversed, in one ``INSERT … SELECT``. Returns the net reversed (in yuan)."""
    sub, params = lines.order_by().values("id").query.sql_with_params()
    where = f"e.line_id IN ({sub}) AND {NOT_REVERSED}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(SUM({fen('e.amount')}), 0) FROM payments_ledgerentry e WHERE {where}", params)
        net = Decimal(int(cursor.fetchone()[0])).scaleb(-2)
        cursor.execute(
            f"""INSERT INTO payments_ledgerentry (payroll_id, line_id, enrolment_id, month, kind, amount,
                                                             reverses_id, overpayment_id, created_at, batch_id)
                           SELECT e.payroll_id, e.line_id, e.enrolment_id, e.month, '{EntryKind.REVERSAL}', -e.amount,
                                  e.id, e.overpayment_id, CURRENT_TIMESTAMP, %s
                           FROM payments_ledgerentry e WHERE {where}""",
            [batch_id, *params],
        )
    return net
