from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field

from doudi.core.validation import BIRTH_MIN
from doudi.registry.choices import (
    BusinessRoleKind,
    DisabilityKind,
    Employment,
    HukouType,
    LabourCapacity,
    Relation,
    SupportFrom,
    VehiclePurpose,
)
from doudi.registry.validation import NAME_MAX

from .types import DATE_PATTERN, AreaCode, Day, FloorArea, IdNumber, Key, Money, Text, date_in_range

MAX_MEMBERS = 20


# The schema states the years (1900–2099); "not after today" is the application's check (400, date_range).
BirthDay = Annotated[
    dt.date,
    AfterValidator(date_in_range),
    Field(json_schema_extra={"pattern": DATE_PATTERN, "description": f"YYYY-MM-DD, {BIRTH_MIN} – today"}),
]


class ErrorOut(Schema):
    code: str
    field: str | None = None
    message: str
    message_zh: str
    message_en: str


class AreaOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None = None


def _choices(choices, *, blank: bool = False):
    """The codes of a TextChoices as a Literal (the OpenAPI schema lists them as an enum)."""
    return Literal[tuple(([""] if blank else []) + list(choices.values))]


RelationCode = _choices(Relation)
Capacity = _choices(LabourCapacity)
EmploymentCode = _choices(Employment, blank=True)
DisabilityCode = _choices(DisabilityKind, blank=True)
HukouCode = _choices(HukouType)
Grade = Annotated[int, Field(ge=1, le=4)]


class MemberIn(Schema):
    name: Text(NAME_MAX, required=True)
    id_number: IdNumber | None = None
    relation: RelationCode
    sex: Literal["M", "F"] | None = None
    birth_date: BirthDay | None = None
    student: bool = False
    labour_capacity: Capacity = "full"
    employment: EmploymentCode = ""
    disability_kind: DisabilityCode = ""
    disability_grade: Grade | None = None
    disability_card: Text(30) = ""
    serious_illness: bool = False
    diagnosis: Text(100) = ""
    adl_eating: bool = False
    adl_dressing: bool = False
    adl_bed: bool = False
    adl_toilet: bool = False
    adl_walking: bool = False
    adl_bathing: bool = False
    deceased: bool = False
    in_prison: bool = False
    compulsory_rehab: bool = False
    missing: bool = False
    clergy_away: bool = False


class PersonPatch(Schema):
    name: Text(NAME_MAX, required=True) | None = None
    relation: RelationCode | None = None
    student: bool | None = None
    labour_capacity: Capacity | None = None
    employment: EmploymentCode | None = None
    disability_kind: DisabilityCode | None = None
    disability_grade: Grade | None = None
    disability_card: Text(30) | None = None
    serious_illness: bool | None = None
    diagnosis: Text(100) | None = None
    deceased: bool | None = None
    died_on: dt.date | None = None
    in_prison: bool | None = None
    compulsory_rehab: bool | None = None
    missing: bool | None = None
    clergy_away: bool | None = None


Phone = Annotated[
    str,
    Field(
        max_length=20,
        pattern=r"^([0-9+ -]{7,20})?$",
        description="7–20位数字（可含 + - 空格）/ 7–20 digits, + - or spaces",
    ),
]
BankAccount = Annotated[
    str, Field(max_length=32, pattern=r"^([0-9]{10,32})?$", description="10–32位数字 / 10–32 digits")
]


class HouseholdIn(Schema):
    area_code: AreaCode
    hukou_type: HukouCode
    hukou_place: Text(100) = Field(
        "",
        description="户籍所在地（户籍不在本县时填写，area_code 为在本县的居住地）/ hukou place when outside the county",
    )
    residence_permit: bool = Field(
        False, description="持本县居住证（仅非本县户籍）/ holds the county's residence permit"
    )
    address: Text(200) = ""
    phone: Phone = ""
    bank_name: Text(60) = ""
    bank_account: BankAccount = ""
    account_holder: Text(50) = ""
    members: Annotated[list[MemberIn], Field(min_length=1, max_length=MAX_MEMBERS)]


class HouseholdPatch(Schema):
    area_code: AreaCode | None = None
    hukou_type: HukouCode | None = None
    hukou_place: Text(100) | None = None
    residence_permit: bool | None = None
    address: Text(200) | None = None
    phone: Phone | None = None
    bank_name: Text(60) | None = None
    bank_account: BankAccount | None = None
    account_holder: Text(50) | None = None


class PersonOut(Schema):
    id: int
    name: str
    id_number_masked: str
    sex: str
    birth_date: dt.date
    relation: str | None = None
    household_id: int | None = None
    student: bool
    labour_capacity: str
    employment: str
    disability_kind: str
    disability_grade: int | None
    serious_illness: bool
    diagnosis: str
    adl_unable: int
    deceased: bool
    died_on: dt.date | None = None
    in_prison: bool
    compulsory_rehab: bool
    missing: bool
    clergy_away: bool


class HouseholdSummary(Schema):
    id: int
    area_code: str
    hukou_type: str
    hukou_place: str
    residence_permit: bool
    head_name: str
    member_count: int
    phone: str


class RecordOut(Schema):
    kind: str
    id: int
    fields: dict


class HouseholdOut(HouseholdSummary):
    address: str
    bank_name: str
    bank_account_masked: str
    account_holder: str
    members: list[PersonOut]
    records: list[RecordOut]


class HouseholdPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[HouseholdSummary]


class MoveIn(Schema):
    to_household: Key
    relation: RelationCode
    on: Day | None = None
    reason: Text(100) = ""


class FullNumberOut(Schema):
    id_number: str | None


class RecordIn(Schema):
    """The fields of one record; which apply depends on the kind in the path (docs/registry.md)."""

    person: Key | None = None
    kind: Annotated[str, Field(max_length=32, pattern=r"^[a-z_0-9]*$")] | None = None
    monthly: Money | None = None
    support_from: _choices(SupportFrom, blank=True) | None = None
    amount: Money | None = None
    plate: Text(12) | None = None
    value: Money | None = None
    purpose: _choices(VehiclePurpose) | None = None
    address: Text(200) | None = None
    floor_area_m2: FloorArea | None = None
    enterprise: Text(100) | None = None
    role: _choices(BusinessRoleKind) | None = None
    employees: Annotated[int, Field(ge=0, le=2147483647)] | None = None
    name: Text(50) | None = None
    relation: Text(20) | None = None
    id_number: IdNumber | None = None
    able: bool | None = None
    reason: Text(100) | None = None
    note: Text(200) | None = None


class NoteOut(Schema):
    code: str = Field(description="lines_updated, kept_checked or kept_approved")
    zh: str
    en: str


class LinesMovedOut(Schema):
    """What a new account did to the payroll lines that pay it (doudi/benefits/payees.py ``lines_pay_to``)."""

    lines_updated: int = Field(description="lines of draft payrolls that now pay the new account and holder")
    lines_kept_checked: int = Field(description="lines of checked payrolls left on the old account")
    payrolls_kept_checked: list[int] = Field(description="those payrolls: cancel one and generate it again")
    lines_kept_approved: int = Field(description="lines of approved payrolls that pay the old account")
    payrolls_kept_approved: list[int] = Field(description="those payrolls (a payment returned is paid again after)")
    notes: list[NoteOut] = Field(description="the same, said in Chinese and English")


def lines_moved_out(moved, *, to_zh: str) -> dict:
    """A ``LinesMoved`` as ``LinesMovedOut``'s fields."""
    return {
        "lines_updated": moved.updated,
        "lines_kept_checked": moved.kept_checked.lines,
        "payrolls_kept_checked": moved.kept_checked.payrolls,
        "lines_kept_approved": moved.kept_approved.lines,
        "payrolls_kept_approved": moved.kept_approved.payrolls,
        "notes": moved.notes(to_zh=to_zh),
    }
