"""Parsing of what people type and clients send, shared by forms, imports, the API and the commands.

Each function returns a clean value or raises ApplicationError naming the field, in Chinese and English, with
the limit that was passed. Nothing is cut to fit: over-long text is refused, never truncated.
"""

from __future__ import annotations

import datetime as dt
import re

from .errors import ApplicationError

# Free text without a column limit of its own (findings, opinions, minutes, notes, …).
TEXT_MAX = 2000
# Dates a person may give for an event (an application, a visit, an effective date, a deadline's start …).
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)
# Birth dates: not before this day, not after today.
BIRTH_MIN = dt.date(1900, 1, 1)
# Database keys: a BIGINT holds up to 2**63 - 1; a typed number with more digits is not a key.
ID_MAX = 2**63 - 1

_INT = re.compile(r"^[+-]?[0-9]{1,19}$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ISO_MONTH = re.compile(r"^[0-9]{4}-[0-9]{2}$")
# PostgreSQL text cannot hold NUL; other C0 controls (but tab, newline, carriage return) are never typed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def has_control_characters(value: str) -> bool:
    return bool(_CONTROL.search(value))


def text_clean(
    value, *, field: str, zh_label: str, en_label: str, max_length: int, required: bool = False, multiline: bool = False
) -> str:
    """Text with surrounding spaces removed; refused (never cut) when longer than ``max_length`` characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ApplicationError(f"{zh_label}应为文字", f"{en_label} must be text", field=field, code="invalid_text")
    value = value.strip()
    if required and not value:
        raise ApplicationError(f"请填写{zh_label}", f"{en_label} is required", field=field, code="required")
    if len(value) > max_length:
        raise ApplicationError(
            f"{zh_label}最多{max_length}个字，现有{len(value)}个",
            f"{en_label} is at most {max_length} characters; got {len(value)}",
            field=field,
            code="too_long",
            extra={"max_length": max_length},
        )
    if has_control_characters(value):
        raise ApplicationError(
            f"{zh_label}含有不允许的控制字符",
            f"{en_label} contains control characters",
            field=field,
            code="control_characters",
        )
    if not multiline and ("\n" in value or "\r" in value):
        raise ApplicationError(
            f"{zh_label}应写在一行内，不能换行",
            f"{en_label} must be on one line",
            field=field,
            code="control_characters",
        )
    return value


def int_clean(
    value,
    *,
    field: str,
    zh_label: str,
    en_label: str,
    minimum: int = 0,
    maximum: int = ID_MAX,
    default: int | None = None,
) -> int:
    """A whole number from a form, a query string or JSON, within ``minimum``..``maximum``."""
    if value is None or value == "":
        if default is not None:
            return default
        raise ApplicationError(f"请填写{zh_label}", f"{en_label} is required", field=field, code="required")
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ApplicationError(
            f"{zh_label}应为整数", f"{en_label} must be a whole number", field=field, code="invalid_int"
        )
    if isinstance(value, str):
        if not _INT.match(value.strip()):
            raise ApplicationError(
                f"{zh_label}应为整数", f"{en_label} must be a whole number", field=field, code="invalid_int"
            )
        value = int(value.strip())
    if not minimum <= value <= maximum:
        raise ApplicationError(
            f"{zh_label}应在 {minimum} 至 {maximum} 之间",
            f"{en_label} must be from {minimum} to {maximum}",
            field=field,
            code="out_of_range",
            extra={"minimum": minimum, "maximum": maximum},
        )
    return value


def id_or_none(value) -> int | None:
    """A database key typed into a form or a query string, or None when it cannot be one (the caller then
    answers "not found", as for any key outside the person's area)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= ID_MAX else None
    if isinstance(value, str) and _INT.match(value.strip()):
        number = int(value.strip())
        return number if 1 <= number <= ID_MAX else None
    return None


def date_clean(
    value,
    *,
    field: str,
    zh_label: str,
    en_label: str,
    earliest: dt.date = DATE_MIN,
    latest: dt.date = DATE_MAX,
    default: dt.date | None = None,
    required: bool = False,
) -> dt.date | None:
    """A date written YYYY-MM-DD (or a date object), between ``earliest`` and ``latest``."""
    if value is None or value == "":
        if required and default is None:
            raise ApplicationError(f"请填写{zh_label}", f"{en_label} is required", field=field, code="required")
        return default
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        text = value.strip() if isinstance(value, str) else ""
        try:
            if not _ISO_DATE.match(text):
                raise ValueError
            value = dt.date.fromisoformat(text)
        except ValueError:
            shown = f"：{text}" if 0 < len(text) <= 30 else ""
            raise ApplicationError(
                f"{zh_label}格式应为 YYYY-MM-DD{shown}",
                f"{en_label} must be YYYY-MM-DD{shown.replace('：', ': ')}",
                field=field,
                code="invalid_date",
            ) from None
    return date_range_check(value, field=field, zh_label=zh_label, en_label=en_label, earliest=earliest, latest=latest)


def date_range_check(
    value: dt.date,
    *,
    field: str,
    zh_label: str,
    en_label: str,
    earliest: dt.date = DATE_MIN,
    latest: dt.date = DATE_MAX,
) -> dt.date:
    if not earliest <= value <= latest:
        raise ApplicationError(
            f"{zh_label}应在 {earliest:%Y-%m-%d} 至 {latest:%Y-%m-%d} 之间（现为 {value:%Y-%m-%d}）",
            f"{en_label} must be from {earliest:%Y-%m-%d} to {latest:%Y-%m-%d} (got {value:%Y-%m-%d})",
            field=field,
            code="date_range",
            extra={"earliest": earliest.isoformat(), "latest": latest.isoformat()},
        )
    return value


def birth_date_check(
    value: dt.date,
    *,
    field: str = "birth_date",
    today: dt.date | None = None,
    zh_label: str = "出生日期",
    en_label: str = "Birth date",
) -> dt.date:
    """Born not before 1900-01-01 and not in the future."""
    return date_range_check(
        value, field=field, zh_label=zh_label, en_label=en_label, earliest=BIRTH_MIN, latest=today or dt.date.today()
    )


def month_clean(
    value, *, field: str, zh_label: str, en_label: str, earliest: dt.date = DATE_MIN, latest: dt.date = DATE_MAX
) -> dt.date:
    """A month written YYYY-MM (returned as its first day)."""
    text = value.strip() if isinstance(value, str) else ""
    try:
        if not _ISO_MONTH.match(text):
            raise ValueError
        month = dt.date.fromisoformat(text + "-01")
    except ValueError:
        shown = f"：{text}" if 0 < len(text) <= 30 else ""
        raise ApplicationError(
            f"{zh_label}格式应为 YYYY-MM{shown}",
            f"{en_label} must be YYYY-MM{shown.replace('：', ': ')}",
            field=field,
            code="invalid_month",
        ) from None
    return date_range_check(
        month, field=field, zh_label=zh_label, en_label=en_label, earliest=earliest.replace(day=1), latest=latest
    )
