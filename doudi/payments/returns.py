"""Applying the bank's return file to a payroll, set-based: the file's rows are read one at a time into a
temporary table (COPY on PostgreSQL), checked there, then applied by a fixed number of statements — however many
lines the payroll has, nothing is held in memory and no statement is run per line. Runs inside the
``bank_return_import`` action's transaction: a file with a bad row, or a process killed halfway, changes
nothing (the temporary table goes with the transaction)."""

from __future__ import annotations

from decimal import Decimal
from itertools import islice
from typing import BinaryIO, NamedTuple

from django.db import connection
from django.db.models.expressions import RawSQL

from doudi.core.errors import ApplicationError
from doudi.core.sql import fen

from . import bankfiles, ledger, recoveries
from .models import LineStatus, Payroll, PayrollLine

TABLE = "bank_return_rows"
COLUMNS = "row_no, ref, paid, reason, amount_fen"


class Applied(NamedTuple):
    paid: int
    failed: int
    paid_total: Decimal
    failed_total: Decimal


def _yuan(value) -> Decimal:
    return Decimal(int(value or 0)).scaleb(-2)


def _load(filename: str, stream: BinaryIO) -> None:
    postgres = connection.vendor == "postgresql"
    rows = bankfiles.return_rows(filename, stream)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {TABLE} (row_no integer NOT NULL, ref bigint NOT NULL,
                               paid boolean NOT NULL, reason varchar(200) NOT NULL, amount_fen bigint)"""
            + (" ON COMMIT DROP" if postgres else "")
        )
        if postgres:
            with cursor.cursor.copy(f"COPY {TABLE} ({COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            while batch := list(islice(rows, 10_000)):
                cursor.executemany(f"INSERT INTO {TABLE} ({COLUMNS}) VALUES (%s, %s, %s, %s, %s)", batch)
        cursor.execute(f"CREATE INDEX {TABLE}_ref ON {TABLE} (ref)")
        if postgres:
            cursor.execute(f"ANALYZE {TABLE}")  # temporary tables get no statistics otherwise


def _check(cursor, payroll: Payroll) -> None:
    """Every ref once, each a pending line of this payroll, each amount the bank gives equal to the line's."""
    cursor.execute(f"""SELECT ref, MAX(row_no) FROM {TABLE} GROUP BY ref HAVING COUNT(*) > 1
                       ORDER BY MIN(row_no) LIMIT 20""")
    repeated = cursor.fetchall()
    if repeated:
        errors = [f"第{n}行：流水号 {ref} 重复 / row {n}: ref {ref} repeated" for ref, n in repeated]
        raise ApplicationError(
            "回盘文件有错误，未导入：" + "；".join(errors),
            "The return file has errors",
            field="file",
            code="bad_rows",
            extra={"errors": errors},
        )
    cursor.execute(
        f"""SELECT t.ref FROM {TABLE} t
                       WHERE NOT EXISTS (SELECT 1 FROM payments_payrollline l WHERE l.id = t.ref
                                         AND l.payroll_id = %s AND l.status = %s)
                       ORDER BY t.row_no LIMIT 10""",
        [payroll.pk, LineStatus.PENDING],
    )
    unknown = [ref for (ref,) in cursor.fetchall()]
    if unknown:
        raise ApplicationError(
            f"回盘文件中的流水号不属于本发放表或已对账：{unknown}",
            f"Unknown or already reconciled refs: {unknown}",
            field="file",
            code="unknown_refs",
        )
    cursor.execute(f"""SELECT t.ref, t.amount_fen, {fen("l.amount")} FROM {TABLE} t
                       JOIN payments_payrollline l ON l.id = t.ref
                       WHERE t.amount_fen IS NOT NULL AND t.amount_fen <> {fen("l.amount")}
                       ORDER BY t.row_no LIMIT 1""")
    wrong = cursor.fetchone()
    if wrong:
        ref, theirs, ours = wrong[0], _yuan(wrong[1]), _yuan(wrong[2])
        raise ApplicationError(
            f"流水号 {ref} 金额 {theirs} 与发放表 {ours} 不符",
            f"Ref {ref}: amount {theirs} differs from {ours}",
            field="file",
            code="amount_mismatch",
        )


def return_apply(payroll: Payroll, *, filename: str, stream: BinaryIO, actor, batch_id: str) -> Applied:
    """Mark the lines the bank paid as paid and those it returned as failed with the bank's reason; reverse the
    returned lines' ledger entries (so the money is owed again) and give back any offset taken from them."""
    _load(filename, stream)
    with connection.cursor() as cursor:
        _check(cursor, payroll)
        cursor.execute(f"""SELECT COALESCE(SUM(CASE WHEN t.paid THEN 1 ELSE 0 END), 0),
                                  COALESCE(SUM(CASE WHEN t.paid THEN 0 ELSE 1 END), 0),
                                  COALESCE(SUM(CASE WHEN t.paid THEN {fen("l.amount")} ELSE 0 END), 0),
                                  COALESCE(SUM(CASE WHEN t.paid THEN 0 ELSE {fen("l.amount")} END), 0)
                           FROM {TABLE} t JOIN payments_payrollline l ON l.id = t.ref""")
        paid, failed, paid_fen, failed_fen = cursor.fetchone()
        cursor.execute(
            f"""UPDATE payments_payrollline SET status = %s
                           WHERE payroll_id = %s AND status = %s AND id IN (SELECT ref FROM {TABLE} WHERE paid)""",
            [LineStatus.PAID, payroll.pk, LineStatus.PENDING],
        )
        cursor.execute(
            f"""UPDATE payments_payrollline
                           SET status = %s,
                               failure_reason = (SELECT t.reason FROM {TABLE} t WHERE t.ref = payments_payrollline.id)
                           WHERE payroll_id = %s AND status = %s
                             AND id IN (SELECT ref FROM {TABLE} WHERE NOT paid)""",
            [LineStatus.FAILED, payroll.pk, LineStatus.PENDING],
        )
    if failed:
        returned = PayrollLine.objects.filter(
            payroll=payroll, id__in=RawSQL(f"SELECT ref FROM {TABLE} WHERE NOT paid", [])
        )
        ledger.entries_reverse(returned, batch_id=batch_id)
        recoveries.offsets_undo(returned, actor=actor)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {TABLE}")
    return Applied(int(paid), int(failed), _yuan(paid_fen), _yuan(failed_fen))
