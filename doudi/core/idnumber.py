"""Resident ID numbers (GB 11643-1999) via python-stdnum's ``cn.ric``, plus the checks the registry needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from stdnum import exceptions as stdnum_exceptions
from stdnum import numdb
from stdnum.cn import ric

from .errors import ApplicationError
from .validation import BIRTH_MIN

SEX_MALE = "M"
SEX_FEMALE = "F"


@dataclass(frozen=True)
class IdFacts:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F": odd 17th digit = male (GB 11643 §5.4)


def _validate(number: str) -> None:
    """stdnum's ``ric.validate`` minus its birth-year window on the address code.

    stdnum refuses e.g. 511425 (Qingshen, code in use from 2000) for anyone born before 2000, but the
    address code is where the number was *issued* (GB 11643 §5.2), and people born earlier were issued
    numbers after 2000. We keep every other check and only require that the address code exists.
    """
    if len(number) != 18:
        raise stdnum_exceptions.InvalidLength()
    if not (number[:-1].isascii() and number[:-1].isdigit()):
        raise stdnum_exceptions.InvalidFormat()
    if number[-1] != ric.calc_check_digit(number):
        raise stdnum_exceptions.InvalidChecksum()
    ric.get_birth_date(number)
    if not any(part for part, props in numdb.get("cn/loc").info(number[:6]) if "county" in props):
        raise stdnum_exceptions.InvalidComponent()


def id_parse(raw: str, *, field: str = "id_number", today: dt.date | None = None) -> IdFacts:
    """Validate an 18-character resident ID number and derive birth date and sex.

    Source: GB 11643-1999 (address code, birth date, sequence, ISO 7064 MOD 11-2 check character).
    """
    number = ric.compact(raw or "")
    if not number:
        raise ApplicationError("请填写身份证号", "ID number is required", field=field, code="id_required")
    try:
        _validate(number)
    except stdnum_exceptions.InvalidLength:
        raise ApplicationError(
            f"身份证号应为18位，实际为{len(number)}位",
            f"ID number must have 18 characters, got {len(number)}",
            field=field,
            code="id_length",
        ) from None
    except stdnum_exceptions.InvalidFormat:
        raise ApplicationError(
            "身份证号前17位必须是数字",
            "The first 17 characters of an ID number must be digits",
            field=field,
            code="id_format",
        ) from None
    except stdnum_exceptions.InvalidChecksum:
        raise ApplicationError(
            "身份证号校验位错误，请核对是否输错",
            "ID number check character is wrong; check for a typing error",
            field=field,
            code="id_checksum",
        ) from None
    except stdnum_exceptions.InvalidComponent:
        raise ApplicationError(
            "身份证号中的出生日期或地址码无效",
            "ID number has an invalid birth date or address code",
            field=field,
            code="id_component",
        ) from None
    birth = ric.get_birth_date(number)
    today = today or timezone.localdate()
    if birth > today:
        raise ApplicationError(
            "身份证号中的出生日期晚于今天",
            "Birth date in the ID number is in the future",
            field=field,
            code="id_future",
        )
    if birth < BIRTH_MIN:
        raise ApplicationError(
            f"身份证号中的出生日期 {birth:%Y-%m-%d} 早于 {BIRTH_MIN:%Y-%m-%d}，请核对",
            f"Birth date {birth:%Y-%m-%d} in the ID number is before {BIRTH_MIN:%Y-%m-%d}; check it",
            field=field,
            code="id_birth_range",
        )
    sex = SEX_MALE if int(number[16]) % 2 == 1 else SEX_FEMALE
    return IdFacts(number=number, birth_date=birth, sex=sex)


def id_crosscheck(facts: IdFacts, *, birth_date: dt.date | None, sex: str | None, field_prefix: str = "") -> None:
    """Refuse a typed birth date or sex that disagrees with the ID number."""
    if birth_date and birth_date != facts.birth_date:
        raise ApplicationError(
            f"填写的出生日期 {birth_date:%Y-%m-%d} 与身份证号中的 {facts.birth_date:%Y-%m-%d} 不一致",
            f"Birth date {birth_date:%Y-%m-%d} does not match {facts.birth_date:%Y-%m-%d} in the ID number",
            field=f"{field_prefix}birth_date",
            code="id_birth_mismatch",
        )
    if sex and sex != facts.sex:
        raise ApplicationError(
            "填写的性别与身份证号不一致",
            "Sex does not match the ID number",
            field=f"{field_prefix}sex",
            code="id_sex_mismatch",
        )


def id_mask(number: str | None) -> str:
    """Show the first 6 and last 4 characters only: 511425********123X."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def account_mask(number: str | None) -> str:
    """Bank account: last 4 digits only."""
    if not number:
        return ""
    return "*" * max(len(number) - 4, 0) + number[-4:]


def phone_mask(number: str | None) -> str:
    """Phone: the first 3 and last 4 digits (138****1234)."""
    if not number:
        return ""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def id_make(address_code: str, birth: dt.date, sequence: int) -> str:
    """Build a valid ID number (for synthetic demo data and tests)."""
    body = f"{address_code}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")
