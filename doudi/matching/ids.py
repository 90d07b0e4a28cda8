"""Resident ID numbers as department data carries them: the 18-character form, the old 15-digit form, or wrong.

GB 11643-1999: 6-digit address code, 8-digit birth date, 3-digit sequence (odd for men), ISO 7064 MOD 11-2
check character. The first-generation cards (before 1999) carry 15 digits: the same address code, a 6-digit
birth date (YYMMDD, all in the 1900s) and the sequence, with no check character; the 18-character number is
the 15 with "19" put before the year and the check character appended (python-stdnum's ``cn.ric``).

The same rules are written in SQL (``features.id_columns_sql`` with ``check_character_sql`` below, and
``exact.id18_sql``) so that millions of rows are normalised inside DuckDB; tests check the SQL against this
module.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stdnum.cn import ric

FORM_18 = "18"
FORM_15 = "15"

_RE_18 = re.compile(r"\d{17}[\dX]")
_RE_15 = re.compile(r"\d{15}")
# ISO 7064 MOD 11-2 weights of the first 17 digits (GB 11643-1999 §7)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"  # indexed by (weighted sum mod 11)


@dataclass(frozen=True)
class IdNumber:
    """One ID number as found in a record, normalised for matching.

    ``id18`` is the 18-character number (converted from the 15-digit form when needed; as written when the
    check character is wrong), ``id17`` its first 17 characters, ``form`` "18", "15" or None (not a
    resident ID number at all), ``valid`` True only for an 18-character number whose check character and
    birth date are right — two valid numbers that differ belong to two people.
    """

    raw: str
    form: str | None
    id18: str | None
    valid: bool

    @property
    def id17(self) -> str | None:
        return self.id18[:17] if self.id18 else None


def check_character(first17: str) -> str:
    """The check character of an 18-character number from its first 17 digits (GB 11643-1999 §7)."""
    return ric.calc_check_digit(first17 + "0")


def _birth_date_ok(id17: str) -> bool:
    try:
        dt.date(int(id17[6:10]), int(id17[10:12]), int(id17[12:14]))
    except ValueError:
        return False
    return True


def id_from_15(number15: str) -> str:
    """The 18-character number of an old 15-digit one: "19" before the two-digit year, the check appended."""
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + check_character(first17)


def id_normalise(raw: str | None) -> IdNumber:
    """Normalise what a record holds in its ID column (spaces removed, a lower-case x raised)."""
    text = re.sub(r"\s", "", raw or "").upper()
    if _RE_18.fullmatch(text):
        valid = text[17] == check_character(text[:17]) and _birth_date_ok(text[:17])
        return IdNumber(raw=text, form=FORM_18, id18=text, valid=valid)
    if _RE_15.fullmatch(text):
        return IdNumber(raw=text, form=FORM_15, id18=id_from_15(text), valid=False)
    return IdNumber(raw=text, form=None, id18=None, valid=False)


def check_character_sql(first17: str) -> str:
    """SQL (DuckDB and Spark alike) for the check character of a 17-digit string expression: the digits are
    taken from the number as one integer (integer arithmetic is several times faster than 17 substrings)."""
    number = f"CAST({first17} AS BIGINT)"
    terms = " + ".join(f"{w} * (({number} // {10 ** (16 - i)}) % 10)" for i, w in enumerate(WEIGHTS))
    return f"substr('{CHECK_CHARACTERS}', CAST(({terms}) % 11 AS INTEGER) + 1, 1)"
