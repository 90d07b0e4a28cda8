"""An enrolment's amount history, and what was overpaid when a change is reported late.

The amount in force for a month is the latest change from that month or earlier (suspension and termination pay
nothing). What was actually paid is the payment ledger's (doudi/payments); the payments app registers its reader
here when it loads (``paid_reader_register``), so this layer reads it without importing the layer above."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from doudi.core.money import ZERO

from .models import ChangeKind, Enrolment

NO_PAYMENT = {ChangeKind.SUSPEND, ChangeKind.TERMINATE}

# (enrolment id, first service month) -> net money put in payrolls per service month from that month on
PaidReader = Callable[[int, dt.date], dict[dt.date, Decimal]]
_paid_reader: PaidReader | None = None


class Change(NamedTuple):
    from_month: dt.date
    kind: str
    new_amount: Decimal


def amount_for(changes: list, month: dt.date) -> Decimal:
    """The amount in force for ``month``: the latest change from that month or earlier (suspension and
    termination pay nothing)."""
    current = ZERO
    for c in changes:  # ordered by from_month, id
        if c.from_month > month:
            break
        current = ZERO if c.kind in NO_PAYMENT else c.new_amount
    return current


def paid_reader_register(reader: PaidReader) -> None:
    global _paid_reader
    _paid_reader = reader


def overpaid_since(enrolment: Enrolment, month: dt.date) -> Decimal:
    """Money already paid for ``month`` and later beyond what the amount history now says was due."""
    if _paid_reader is None:  # no payments app installed: nothing can have been paid
        return ZERO
    changes = [Change(c.from_month, c.kind, c.new_amount) for c in enrolment.changes.order_by("from_month", "id")]
    extra = ZERO
    for service_month, total in _paid_reader(enrolment.pk, month).items():
        extra += max(total - amount_for(changes, service_month), ZERO)
    return extra.quantize(Decimal("0.01"))
