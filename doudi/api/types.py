"""Field types of the API's request schemas. Each states in the OpenAPI schema the limit the application enforces
(length, pattern, range, two decimals, date range), so a client — and schemathesis — knows what is accepted,
and a request outside it is answered 422 naming the field, in Chinese and English (doudi.api.api)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from doudi.core.errors import ApplicationError
from doudi.core.money import MONEY_MAX, MONEY_PATTERN, money_parse
from doudi.core.validation import DATE_MAX, DATE_MIN, ID_MAX, TEXT_MAX

# Text without control characters (PostgreSQL cannot store NUL; nobody types the others).
LINE_PATTERN = r"^[^\x00-\x1f]*$"
LINES_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
# Required text: something other than spaces (and no control characters). The spaces are listed, not written \s:
# Python's \s (what the application strips) counts U+0085 as a space and ECMAScript's (a JSON Schema pattern, as
# clients and schemathesis read it) does not, so "\x85" alone passed the schema and was refused as empty. The list
# is every character str.strip() removes beyond the ASCII controls and the space.
UNICODE_SPACES = "\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
REQUIRED_LINE_PATTERN = rf"^[^\x00-\x1f]*[^\x00-\x20{UNICODE_SPACES}][^\x00-\x1f]*$"
REQUIRED_LINES_PATTERN = rf"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*[^\x00-\x20{UNICODE_SPACES}][^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
# Dates from DATE_MIN to DATE_MAX (1900-01-01 to 2099-12-31).
DATE_PATTERN = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
MONTH_PATTERN = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"
AREA_CODE_PATTERN = r"^[0-9]{12}$"
ID_NUMBER_PATTERN = r"^([0-9]{17}[0-9Xx])?$"


def Text(max_length: int, *, required: bool = False, multiline: bool = False, description: str | None = None):
    """A string of at most ``max_length`` characters (required: not only spaces)."""
    pattern = (
        (REQUIRED_LINES_PATTERN if required else LINES_PATTERN)
        if multiline
        else (REQUIRED_LINE_PATTERN if required else LINE_PATTERN)
    )
    return Annotated[
        str, Field(min_length=1 if required else 0, max_length=max_length, pattern=pattern, description=description)
    ]


def _range_error(kind: str, zh: str, en: str) -> PydanticCustomError:
    return PydanticCustomError(kind, "{zh} / {en}", {"zh": zh, "en": en})


def date_in_range(value: dt.date) -> dt.date:
    if not DATE_MIN <= value <= DATE_MAX:
        raise _range_error(
            "date_range", f"日期应在 {DATE_MIN} 至 {DATE_MAX} 之间", f"must be from {DATE_MIN} to {DATE_MAX}"
        )
    return value


def _money(value, *, positive: bool = False) -> Decimal:
    try:
        return money_parse(value, field="", zh_label="金额", en_label="amount", positive=positive)
    except ApplicationError as e:
        raise PydanticCustomError("money", "{zh} / {en}", {"zh": e.zh, "en": e.en}) from None


def _positive_money(value) -> Decimal:
    return _money(value, positive=True)


# A date between 1900-01-01 and 2099-12-31, written YYYY-MM-DD.
Day = Annotated[
    dt.date,
    AfterValidator(date_in_range),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
            "description": f"YYYY-MM-DD, {DATE_MIN} – {DATE_MAX}",
        }
    ),
]
# Money: a string of digits with at most two decimals, 0 – 999999999999.99 ("1234.50").
_MONEY_SCHEMA = {
    "type": "string",
    "pattern": MONEY_PATTERN,
    "maxLength": 15,
    "description": f"金额（元，最多两位小数）/ amount in yuan, at most two decimals, 0 – {MONEY_MAX}",
    "examples": ["1234.50"],
}
Money = Annotated[Decimal, BeforeValidator(_money), WithJsonSchema(_MONEY_SCHEMA)]
# Money greater than zero ("0.01" – "999999999999.99").
POSITIVE_MONEY_PATTERN = r"^([1-9][0-9]{0,11}(\.[0-9]{1,2})?|0\.(0[1-9]|[1-9][0-9]?))$"
PositiveMoney = Annotated[
    Decimal,
    BeforeValidator(_positive_money),
    WithJsonSchema(
        {
            **_MONEY_SCHEMA,
            "pattern": POSITIVE_MONEY_PATTERN,
            "description": f"大于0的金额 / amount greater than 0, at most {MONEY_MAX}",
        }
    ),
]


def _floor_area(value) -> Decimal:
    try:
        return money_parse(value, field="", zh_label="面积", en_label="floor area", maximum=Decimal("999999.99"))
    except ApplicationError as e:
        raise PydanticCustomError("area", "{zh} / {en}", {"zh": e.zh, "en": e.en}) from None


# Square metres with at most two decimals, 0 – 999999.99.
FloorArea = Annotated[
    Decimal,
    BeforeValidator(_floor_area),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[0-9]{1,6}(\.[0-9]{1,2})?$",
            "maxLength": 9,
            "description": "平方米，最多两位小数 / square metres, at most two decimals",
        }
    ),
]
# A database key (households, people, cases …).
Key = Annotated[int, Field(ge=1, le=ID_MAX, description="编号 / key")]
AreaCode = Annotated[str, Field(pattern=AREA_CODE_PATTERN, description="12位区划代码 / 12-digit division code")]
IdNumber = Annotated[
    str,
    Field(
        max_length=18,
        pattern=ID_NUMBER_PATTERN,
        description="18位身份证号（空为无）/ 18-character ID number (empty: none)",
    ),
]
# Free text without a column limit of its own.
FreeText = Text(TEXT_MAX, multiline=True)

# a bank account as the application reads it: 12–30 digits, spaces allowed (removed before it is checked)
Account = Annotated[str, Field(min_length=12, max_length=30, pattern=r"^[0-9 ]+$")]
