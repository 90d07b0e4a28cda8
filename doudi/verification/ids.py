"""Resident ID numbers as departments deliver them: 18 characters, the old 15-digit form, wrong or missing.

The old form (GB 11643-1989) has a 2-digit birth year and no check character; it becomes the 18-character number
by inserting "19" before the year and computing the ISO 7064 MOD 11-2 check character (GB 11643-1999 §7), so a
department's old number matches the registry's new one through the same blind index."""

from __future__ import annotations

from dataclasses import dataclass

from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

ID_OK, ID_15, ID_CHECKSUM, ID_MISSING = "", "id15", "checksum", "missing"


@dataclass(frozen=True)
class DeptId:
    number: str | None  # the 18-character form to match on (None when missing)
    note: str  # "" (valid), "id15" (converted from the old form), "checksum" (a digit wrong), "missing"


def id15_to_18(number: str) -> str:
    body = number[:6] + "19" + number[6:]
    return body + ric.calc_check_digit(body + "0")


def dept_id(raw: str) -> DeptId | str:
    """The number to match on, or the reason (in Chinese) the value is not an ID number at all."""
    number = ric.compact(raw or "").upper()
    if not number:
        return DeptId(None, ID_MISSING)
    if len(number) == 15:
        if not number.isdigit():
            return "15位旧身份证号应全部为数字"
        converted = id15_to_18(number)
        try:
            ric.get_birth_date(converted)
        except stdnum_exceptions.ValidationError:
            return "身份证号中的出生日期无效"
        return DeptId(converted, ID_15)
    if len(number) != 18:
        return f"身份证号应为18位（或15位旧号），实际为{len(number)}位"
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return "身份证号前17位必须是数字，末位为数字或X"
    try:
        ric.get_birth_date(number)
    except stdnum_exceptions.ValidationError:
        return "身份证号中的出生日期无效"
    if ric.calc_check_digit(number) != number[17]:
        # a digit wrong somewhere: kept (a department's typing error must not stop the whole extract) but not
        # matched exactly; it waits for probabilistic matching (matching.py)
        return DeptId(number, ID_CHECKSUM)
    return DeptId(number, ID_OK)
