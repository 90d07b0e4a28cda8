"""Cleaning of household and person input shared by forms, the API and the Excel import.

Each function returns clean values or raises ApplicationError naming the field.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import translation
from stdnum import luhn

from doudi.core.errors import ApplicationError
from doudi.core.idnumber import id_crosscheck, id_mask, id_parse
from doudi.core.validation import birth_date_check, date_clean, text_clean

from .choices import (
    ADL_FIELDS,
    PERSON_STATUS_FLAGS,
    DisabilityKind,
    Employment,
    HukouType,
    LabourCapacity,
    Relation,
    Sex,
)

PHONE_RE = re.compile(r"^[0-9\-+ ]{7,20}$")
ACCOUNT_RE = re.compile(r"^[0-9]{10,32}$")


def account_problem(account: str) -> str | None:
    """Missing, not digits, or a 16–19 digit card number failing its Luhn check digit (the payroll's account
    anomaly). Kept on the household when the account is saved, so a payroll checks a million accounts set-based."""
    if not account:
        return "没有银行账号 / no bank account"
    if not ACCOUNT_RE.match(account):
        return "银行账号格式不正确 / bank account is not 10–32 digits"
    if 16 <= len(account) <= 19 and not luhn.is_valid(account):
        return "银行卡号校验位错误 / card number fails its check digit"
    return None


ACCOUNT_CHECK_WARNING = "卡号校验位不符，请核对"
ACCOUNT_CHECK_WARNING_EN = "The card number's check digit does not match; please check it"


def account_check_warning(account: str) -> str | None:
    """A warning, not a refusal: a 16–19 digit bank card number whose last (Luhn) digit does not match — most
    often a mistyped digit. Some passbook (存折) accounts have no check digit, so the person confirms instead."""
    account = re.sub(r"\s", "", account or "")
    if ACCOUNT_RE.match(account) and 16 <= len(account) <= 19 and not luhn.is_valid(account):
        return f"{ACCOUNT_CHECK_WARNING} / {ACCOUNT_CHECK_WARNING_EN}"
    return None


HOUSEHOLD_FIELDS = (
    "hukou_type",
    "hukou_place",
    "residence_permit",
    "address",
    "phone",
    "bank_name",
    "bank_account",
    "account_holder",
)


def _choice(value, choices, field, zh_label, en_label, *, blank=False):
    if value in (None, "") and blank:
        return ""
    if not isinstance(value, str) or value not in choices.values:
        with translation.override("zh-hans"):
            allowed = "、".join(str(label) for _v, label in choices.choices)
        with translation.override("en"):
            allowed_en = ", ".join(f"{v} ({label})" for v, label in choices.choices)
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "…"
        raise ApplicationError(
            f"{zh_label}取值无效：{shown}，可选：{allowed}",
            f"{en_label}: invalid value {shown}; allowed: {allowed_en}",
            field=field,
            code="invalid_choice",
        )
    return value


# Longest text each field holds (the model's max_length); longer input is refused with the limit named.
HOUSEHOLD_TEXT = {
    "hukou_place": ("户籍所在地（非本县户籍）", "Hukou place (outside the county)", 100),
    "address": ("居住地址", "Address", 200),
    "bank_name": ("开户银行", "Bank", 60),
    "account_holder": ("账户户名", "Account holder", 50),
}
PERSON_TEXT = {"disability_card": ("残疾证号", "Disability card number", 30), "diagnosis": ("诊断", "Diagnosis", 100)}
NAME_MAX = 50


def household_clean(data: dict, *, partial: bool = False) -> dict:
    out = {}
    if "hukou_type" in data or not partial:
        out["hukou_type"] = _choice(data.get("hukou_type"), HukouType, "hukou_type", "户籍类型", "Hukou type")
    for f, (zh, en, limit) in HOUSEHOLD_TEXT.items():
        if f in data or not partial:
            out[f] = text_clean(data.get(f), field=f, zh_label=zh, en_label=en, max_length=limit)
    if "phone" in data or not partial:
        phone = text_clean(
            data.get("phone"), field="phone", zh_label="联系电话", en_label="Phone number", max_length=20
        )
        if phone and not PHONE_RE.match(phone):
            raise ApplicationError(
                "联系电话格式不正确", "Phone number is not valid", field="phone", code="invalid_phone"
            )
        out["phone"] = phone
    if "bank_account" in data or not partial:
        account = text_clean(
            data.get("bank_account"), field="bank_account", zh_label="银行账号", en_label="Bank account", max_length=64
        )
        account = re.sub(r"\s", "", account)
        if account and not ACCOUNT_RE.match(account):
            raise ApplicationError(
                "银行账号应为10至32位数字",
                "Bank account must be 10 to 32 digits",
                field="bank_account",
                code="invalid_account",
            )
        out["bank_account"] = account
    if "residence_permit" in data or not partial:
        permit = _bool(data.get("residence_permit"))
        if permit and "hukou_place" in out and not out["hukou_place"]:
            raise ApplicationError(
                "持本县居住证仅适用于非本县户籍的家庭：请先填写户籍所在地",
                "The residence permit applies to a household whose hukou is outside the county: give the hukou place",
                field="residence_permit",
            )
        out["residence_permit"] = permit
    return out


def _birth_date(value, today: dt.date | None) -> dt.date | None:
    birth = date_clean(
        value, field="birth_date", zh_label="出生日期", en_label="Birth date", earliest=dt.date.min, latest=dt.date.max
    )
    return None if birth is None else birth_date_check(birth, today=today)


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on", "是", "y"}
    return bool(value)


def person_clean(data: dict, *, partial: bool = False, today: dt.date | None = None) -> dict:
    """Clean a person's fields. With an ID number, sex and birth date are derived from it and any typed
    values must agree; without one, birth date and sex are required."""
    out: dict = {}
    present = (lambda f: f in data) if partial else (lambda f: True)
    if present("name"):
        out["name"] = text_clean(
            data.get("name"), field="name", zh_label="姓名", en_label="Name", max_length=NAME_MAX, required=True
        )
    if present("id_number") or present("birth_date") or present("sex"):
        raw_id = text_clean(
            data.get("id_number"), field="id_number", zh_label="身份证号", en_label="ID number", max_length=30
        )
        birth = _birth_date(data.get("birth_date"), today)
        sex = data.get("sex") or None
        if sex is not None:
            sex = _choice(sex, Sex, "sex", "性别", "Sex")
        if raw_id:
            facts = id_parse(raw_id, today=today)
            id_crosscheck(facts, birth_date=birth, sex=sex)
            out.update(id_number=facts.number, birth_date=facts.birth_date, sex=facts.sex)
        elif not partial or "id_number" in data:
            if birth is None:
                raise ApplicationError(
                    "没有身份证号时须填写出生日期",
                    "Birth date is required without an ID number",
                    field="birth_date",
                    code="required",
                )
            if sex is None:
                raise ApplicationError(
                    "没有身份证号时须填写性别", "Sex is required without an ID number", field="sex", code="required"
                )
            out.update(id_number=None, birth_date=birth, sex=sex)
    if present("labour_capacity"):
        out["labour_capacity"] = _choice(
            data.get("labour_capacity") or LabourCapacity.FULL,
            LabourCapacity,
            "labour_capacity",
            "劳动能力",
            "Labour capacity",
        )
    if present("employment"):
        out["employment"] = _choice(
            data.get("employment"), Employment, "employment", "就业状况", "Employment", blank=True
        )
    if present("disability_kind") or present("disability_grade"):
        kind = _choice(
            data.get("disability_kind"), DisabilityKind, "disability_kind", "残疾类别", "Disability kind", blank=True
        )
        grade = data.get("disability_grade")
        grade = None if grade in (None, "") else grade
        if grade is not None:
            grade = disability_grade_parse(grade)
        if bool(kind) != (grade is not None):
            raise ApplicationError(
                "残疾类别与残疾等级须同时填写",
                "Disability kind and grade go together",
                field="disability_grade" if kind else "disability_kind",
                code="disability_pair",
            )
        out.update(disability_kind=kind, disability_grade=grade)
    for f, (zh, en, limit) in PERSON_TEXT.items():
        if present(f):
            out[f] = text_clean(data.get(f), field=f, zh_label=zh, en_label=en, max_length=limit)
    for f in ("student", "serious_illness", *ADL_FIELDS, *PERSON_STATUS_FLAGS):
        if present(f):
            out[f] = _bool(data.get(f))
    if present("died_on"):
        died = date_clean(
            data.get("died_on"),
            field="died_on",
            zh_label="死亡日期",
            en_label="Date of death",
            latest=today or dt.date.today(),
        )
        birth = out.get("birth_date")
        if died is not None and birth is not None and died < birth:
            raise ApplicationError(
                "死亡日期不能早于出生日期", "The date of death is before the birth date", field="died_on"
            )
        out["died_on"] = died
        if died is not None:
            out["deceased"] = True  # a date of death makes the person deceased
    if out.get("deceased") is False:
        out["died_on"] = None  # recorded alive again (a mistaken report): no date of death either
    if out.get("serious_illness") and not (out.get("diagnosis") or data.get("diagnosis")) and not partial:
        raise ApplicationError(
            "认定重病须填写诊断", "A recognised serious illness needs a diagnosis", field="diagnosis", code="required"
        )
    return out


# 1–4, as the forms offer them: "3", "3级", "三级", "三", "3 级", "三级残疾"; integers from an API or a spreadsheet.
_GRADE_RE = re.compile(r"^([1-4一二三四])\s*(级)?(残疾)?$")
_GRADE_DIGIT = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}


def disability_grade_parse(value) -> int:
    if type(value) is int and 1 <= value <= 4:
        return value
    m = _GRADE_RE.match(value.strip()) if isinstance(value, str) else None
    if m is None:
        raise ApplicationError(
            "残疾等级应为1至4级（如“3级”“三级”或3）",
            "Disability grade must be 1 to 4 (e.g. 3级, 三级 or 3)",
            field="disability_grade",
            code="invalid_grade",
        )
    return _GRADE_DIGIT[m.group(1)]


def relation_clean(value, field: str = "relation") -> str:
    return _choice(value, Relation, field, "与户主关系", "Relation to head")


def duplicate_id_message(id_number: str, household) -> ApplicationError:
    where = (
        f"{household.head_name}户（户编号 {household.pk}，{household.area.full_name}）" if household else "已登记人员"
    )
    where_en = (
        f"household #{household.pk} ({household.head_name}, {household.area.full_name})"
        if household
        else "a registered person"
    )
    return ApplicationError(
        f"身份证号 {id_mask(id_number)} 已登记在{where}，同一人不能重复登记",
        f"ID number {id_mask(id_number)} is already registered in {where_en}",
        field="id_number",
        code="duplicate_id",
        extra={"household_id": household.pk if household else None},
    )
