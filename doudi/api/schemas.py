from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


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


class MemberIn(Schema):
    name: str
    id_number: str | None = None
    relation: str
    sex: str | None = None
    birth_date: dt.date | None = None
    student: bool = False
    labour_capacity: str = "full"
    employment: str = ""
    disability_kind: str = ""
    disability_grade: int | None = None
    disability_card: str = ""
    serious_illness: bool = False
    diagnosis: str = ""
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
    name: str | None = None
    relation: str | None = None
    student: bool | None = None
    labour_capacity: str | None = None
    employment: str | None = None
    disability_kind: str | None = None
    disability_grade: int | None = None
    disability_card: str | None = None
    serious_illness: bool | None = None
    diagnosis: str | None = None
    deceased: bool | None = None
    in_prison: bool | None = None
    compulsory_rehab: bool | None = None
    missing: bool | None = None
    clergy_away: bool | None = None


class HouseholdIn(Schema):
    area_code: str
    hukou_type: str
    address: str = ""
    phone: str = ""
    bank_name: str = ""
    bank_account: str = ""
    account_holder: str = ""
    members: list[MemberIn]


class HouseholdPatch(Schema):
    area_code: str | None = None
    hukou_type: str | None = None
    address: str | None = None
    phone: str | None = None
    bank_name: str | None = None
    bank_account: str | None = None
    account_holder: str | None = None


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
    in_prison: bool
    compulsory_rehab: bool
    missing: bool
    clergy_away: bool


class HouseholdSummary(Schema):
    id: int
    area_code: str
    hukou_type: str
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
    to_household: int
    relation: str
    on: dt.date | None = None
    reason: str = ""


class FullNumberOut(Schema):
    id_number: str | None


class RecordIn(Schema):
    person: int | None = None
    kind: str | None = None
    monthly: Decimal | None = None
    support_from: str | None = None
    amount: Decimal | None = None
    plate: str | None = None
    value: Decimal | None = None
    purpose: str | None = None
    address: str | None = None
    floor_area_m2: Decimal | None = None
    enterprise: str | None = None
    role: str | None = None
    employees: int | None = None
    name: str | None = None
    relation: str | None = None
    id_number: str | None = None
    able: bool | None = None
    reason: str | None = None
    note: str | None = None
