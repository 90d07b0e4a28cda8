"""Money is Decimal, stored with two decimals; rounding happens only where a rule names it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from .errors import ApplicationError

CENT = Decimal("0.01")
YUAN = Decimal("1")
ZERO = Decimal("0.00")
# The largest amount a money column (DecimalField(max_digits=14, decimal_places=2)) holds.
MONEY_MAX = Decimal("999999999999.99")
# How an amount is written in a form, an import file or the API: digits, at most two decimals, no sign, no
# exponent ("1234.50"; thousands separators and spaces are dropped first).
MONEY_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"
_NUMBER = re.compile(r"^[+-]?[0-9]*\.?[0-9]*$")
_EXPONENT = re.compile(r"^[+-]?[0-9]*\.?[0-9]*[eE][+-]?[0-9]+$")


def money_parse(
    value,
    *,
    field: str,
    zh_label: str = "金额",
    en_label: str = "Amount",
    minimum: Decimal = ZERO,
    maximum: Decimal = MONEY_MAX,
    positive: bool = False,
) -> Decimal:
    """The one parser of money typed by a person or sent by a client (forms, imports, the API, parameters).

    Accepts ``Decimal``, ``int`` or text such as "1234.50" / "1,234.5"; refuses what is not a finite amount
    (NaN, Infinity), exponent notation ("1e400"), more than two decimals ("0.001"), and anything outside
    ``minimum``..``maximum`` (by default 0 to the largest amount a money column holds). ``positive`` refuses 0.
    Every refusal names ``field`` in Chinese and English. A float is taken by its shortest decimal form."""

    def refuse(zh: str, en: str, code: str = "invalid_amount") -> ApplicationError:
        return ApplicationError(f"{zh_label}{zh}", f"{en_label} {en}", field=field, code=code)

    low = f"大于 {minimum}" if positive and minimum <= 0 else f"不小于 {minimum}"
    low_en = f"greater than {minimum}" if positive and minimum <= 0 else f"at least {minimum}"
    out_of_range = refuse(f"应{low}且不超过 {maximum}", f"must be {low_en} and at most {maximum}", code="amount_range")
    if isinstance(value, bool) or value is None:
        raise refuse("应为数字金额，如 1234.50", "must be an amount such as 1234.50")
    if isinstance(value, float):
        value = repr(value)  # shortest form that reads back as the same float: "0.07", "inf", "1e+400"
    if isinstance(value, int):
        if abs(value) > MONEY_MAX:
            raise out_of_range
        text = str(value)
    elif isinstance(value, Decimal):
        if value.is_finite() and value.adjusted() >= 15:
            raise out_of_range
        text = format(value, "f") if value.is_finite() else "NaN"
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace(" ", "")
    else:
        raise refuse("应为数字金额，如 1234.50", "must be an amount such as 1234.50")
    if not text:
        raise refuse("不能为空", "is required", code="required")
    shown = f"：{text}" if len(text) <= 30 else ""
    shown_en = f": {text}" if shown else ""
    if len(text) > 40:  # before any pattern: a pattern over 100,000 characters would take minutes
        raise refuse("格式不正确，应写成 1234.50 这样的数字", "is not a valid amount: write a number such as 1234.50")
    if _EXPONENT.match(text):
        raise refuse(
            f"不能用科学计数法（如 1e5），请写成 1234.50 这样的数字{shown}",
            f"must be written as a plain number such as 1234.50, not in exponent notation{shown_en}",
        )
    if len(text) > 40 or not _NUMBER.match(text) or not any(c.isdigit() for c in text):
        raise refuse(
            f"格式不正确，应写成 1234.50 这样的数字{shown}",
            f"is not a valid amount: write a number such as 1234.50 (not NaN or Infinity){shown_en}",
        )
    whole, _dot, fraction = text.lstrip("+-").partition(".")
    if len(fraction.rstrip("0")) > 2:
        raise refuse(
            f"最多两位小数（到分）{shown}",
            f"has more than two decimals (amounts are to the fen){shown_en}",
            code="amount_decimals",
        )
    if len(whole.lstrip("0")) > 12:
        raise out_of_range
    amount = Decimal(text)
    if amount < minimum or amount > maximum or positive and amount <= 0:
        raise out_of_range
    return amount.quantize(CENT)


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
