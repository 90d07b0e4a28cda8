"""Money is Decimal, stored with two decimals; rounding happens only where a rule names it."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
YUAN = Decimal("1")
ZERO = Decimal("0.00")


def to_money(value) -> Decimal:
    """Exact conversion of input to Decimal (never through float)."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return Decimal(str(value))


def cents(value: Decimal) -> Decimal:
    """Two decimals, half up (how amounts are shown and stored)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_yuan_half_up(value: Decimal) -> Decimal:
    """Whole yuan, half up, kept with two decimals (e.g. 120.50 → 121.00)."""
    return value.quantize(YUAN, rounding=ROUND_HALF_UP).quantize(CENT)


def fmt(value: Decimal) -> str:
    return f"{cents(value):.2f}"


def month_start(day) -> dt.date:
    """First day of the month of ``day``."""
    return day.replace(day=1)


def add_months(day, months: int):
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return type(day)(index // 12, index % 12 + 1, 1)
