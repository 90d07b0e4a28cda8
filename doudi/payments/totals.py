"""The three sums of a payroll that must agree to the fen: the ledger (net of reversals), the lines (less those
the bank returned) and the bank file (its own total, less the lines the bank returned).

They are computed when it matters and stored on the payroll with the time (``Payroll.ledger_total``,
``lines_total``, ``bank_total``, ``totals_at``): at generation, at approval (which is refused if they disagree),
at export (the file's total read back from the file as written; the export is refused if it disagrees) and
after each bank return. Pages and the API show the stored figures; nothing renders or parses a bank file to show
a page. ``totals_recompute`` recomputes all three from scratch, reading the stored file back (or writing the file
as it would be exported, before export): the independent check behind ``doudi payroll totals`` and the tests.

Sums are taken in integer fen in the database (``core.sql.fen``), so SQLite, which sums decimals in floating
point, agrees with PostgreSQL exactly."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.utils import timezone

from doudi.core.sql import fen

from . import bankfiles
from .models import LineStatus, Payroll

ZERO = Decimal("0.00")
KEYS = ("ledger", "lines", "bank_file")


def yuan(fen_value) -> Decimal:
    """An integer number of fen (as the database returns a sum) as Decimal yuan with two decimals."""
    return Decimal(int(fen_value or 0)).scaleb(-2)


def ledger_sum(payroll: Payroll) -> Decimal:
    """Net of every ledger entry of the payroll (payments, offsets and their reversals)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(SUM({fen('amount')}), 0) FROM payments_ledgerentry WHERE payroll_id = %s", [payroll.pk]
        )
        return yuan(cursor.fetchone()[0])


def lines_sum(payroll: Payroll) -> Decimal:
    """The lines less those the bank returned."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT COALESCE(SUM({fen("amount")}), 0) FROM payments_payrollline
                           WHERE payroll_id = %s AND status <> %s""",
            [payroll.pk, LineStatus.FAILED],
        )
        return yuan(cursor.fetchone()[0])


def totals_store(payroll: Payroll, *, ledger: Decimal, lines: Decimal, bank: Decimal | None) -> None:
    """Keep the figures just computed on the payroll. Called only inside an action's transaction (generation,
    approval, export, bank return, cancellation), which audits the change it belongs to."""
    payroll.ledger_total, payroll.lines_total, payroll.bank_total = ledger, lines, bank
    payroll.totals_at = timezone.now()
    payroll.save(update_fields=["ledger_total", "lines_total", "bank_total", "totals_at"])


def agree(ledger: Decimal | None, lines: Decimal | None, bank: Decimal | None) -> bool:
    """Ledger and lines agree, and so does the bank file once there is one."""
    return ledger is not None and ledger == lines and (bank is None or bank == ledger)


def stored(payroll: Payroll) -> dict:
    """The figures as last computed, for pages and the API (no query): two-decimal strings, ``None`` for the
    bank file before export; whether they agree; when they were computed."""

    def text(value):
        return None if value is None else fmt(value)

    return {
        "ledger": text(payroll.ledger_total),
        "lines": text(payroll.lines_total),
        "bank_file": text(payroll.bank_total),
        "agree": agree(payroll.ledger_total, payroll.lines_total, payroll.bank_total),
        "at": payroll.totals_at,
    }


def totals_recompute(payroll: Payroll) -> dict[str, str]:
    """All three from scratch, stored nothing: the ledger and the lines summed in the database, and the bank file
    read back from the stored file less the lines the bank returned — or, before export, the file as it would be
    written now (rendered to a temporary file, read back and deleted). ``doudi payroll totals`` prints this."""
    export = payroll.exports.select_related("layout").order_by("-id").first()
    if export is None:
        bank = bankfiles.unexported_total(payroll)
    else:
        bank = bankfiles.stored_total(export)
    return {"ledger": fmt(ledger_sum(payroll)), "lines": fmt(lines_sum(payroll)), "bank_file": fmt(bank)}


def fmt(value) -> str:
    """Two decimals; never "-0.00"."""
    value = Decimal(value).quantize(Decimal("0.01"))
    return f"{(value if value != 0 else ZERO):.2f}"
