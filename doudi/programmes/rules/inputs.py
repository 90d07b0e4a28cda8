"""The household as the rules see it: plain dataclasses built from the documented JSON (docs/policy.md,
docs/household.schema.json) or from the registry. Validation names the field that is wrong."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from doudi.core.errors import ApplicationError
from doudi.core.idnumber import id_parse
from doudi.core.money import money_parse
from doudi.core.validation import birth_date_check

STATUSES = ("deceased", "in_prison", "compulsory_rehab", "missing", "clergy_away")
RELATIONS = ("head", "spouse", "child", "parent", "grandchild", "sibling", "other")
CAPACITIES = ("full", "partial", "none")
DISABILITY_KINDS = ("physical", "visual", "hearing", "speech", "intellectual", "mental", "multiple")
INCOME_KINDS = (
    "wage",
    "business",
    "property",
    "pension",
    "unemployment_benefit",
    "compensation",
    "support_received",
    "gift",
    "support_paid",
    "social_insurance_contribution",
    "tax",
    "preferential_payment",
    "family_planning_award",
    "scholarship",
    "good_samaritan_award",
    "social_assistance",
    "residents_basic_pension",
)
SUPPORT_FROM = ("sibling", "supporter_60_plus", "other")
EXPENSE_KINDS = ("medical", "disability", "education")
VEHICLE_PURPOSES = ("livelihood", "disability", "other")
PARENT_STATUSES = (
    "dead",
    "missing",
    "disabled",
    "seriously_ill",
    "in_prison",
    "compulsory_rehab",
    "lost_contact",
    "none",
)
HARDSHIP_KINDS = ("emergency", "expenditure")
VETERAN_CATEGORIES = (
    "disabled",
    "martyr_family",
    "duty_death_family",
    "illness_death_family",
    "demobilised",
    "ill_returned",
    "war_participant",
    "nuclear_participant",
    "kmt_veteran",
)
VETERAN_CAUSES = ("war", "duty", "illness")  # 因战、因公、因病 (shapes/veterans.py CAUSES)
ENROLMENTS = ("dibao", "edge")
FUNERAL_SERVICES = ("transport", "cold_storage", "cremation", "urn", "ash_storage", "other")
BUSINESS_ROLES = ("legal_representative", "shareholder", "executive", "family_workshop")


@dataclass(frozen=True)
class Income:
    kind: str
    monthly: Decimal
    source: str = ""  # for support_received: sibling | supporter_60_plus | other


@dataclass(frozen=True)
class Expense:
    kind: str
    monthly: Decimal


@dataclass
class Member:
    name: str
    birth_date: dt.date
    relation: str = "other"
    status: tuple[str, ...] = ()
    student: bool = False
    labour_capacity: str = "full"
    disability_kind: str | None = None
    disability_grade: int | None = None
    serious_illness: bool = False
    adl_unable: int = 0
    applicant: bool = False
    applies_alone: bool = False
    support_mode: str = "scattered"
    receives_tekun: bool = False
    orphan_allowance: bool = False
    incomes: list[Income] = field(default_factory=list)
    expenses: list[Expense] = field(default_factory=list)
    died_on: dt.date | None = None
    parents: list[Parent] | None = None  # children: the parents' situations (None: not given)
    in_institution: bool = False  # children: lives in a welfare institution
    veteran: Veteran | None = None  # veterans: the entitlement's category, grade and prison terms
    index: int = 0
    person_id: int | None = None  # set when built from the registry

    def died_before(self, month: dt.date) -> bool:
        """Dead before the month of ``month`` began (status deceased without a date counts as dead long ago)."""
        if self.died_on is not None:
            return self.died_on < month.replace(day=1)
        return "deceased" in self.status

    def age_on(self, on: dt.date) -> int:
        years = on.year - self.birth_date.year
        return years - ((on.month, on.day) < (self.birth_date.month, self.birth_date.day))


@dataclass(frozen=True)
class Parent:
    status: str
    since: dt.date | None = None


@dataclass(frozen=True)
class PrisonTerm:
    """Veterans: a term in prison, from the day it began to the day of release (None: still inside)."""

    start: dt.date
    release: dt.date | None = None


@dataclass(frozen=True)
class Veteran:
    """Veterans' periodic payments: the person's category (shapes/veterans.py ``CATEGORIES``), the disability
    grade 1–10 of a disabled serviceman and its cause (``war``, ``duty`` or ``illness``: 因战、因公、因病), and the
    terms in prison."""

    category: str
    grade: int | None = None
    prison: tuple[PrisonTerm, ...] = ()
    cause: str | None = None


@dataclass(frozen=True)
class Hardship:
    """Temporary assistance: the hardship (loss for an emergency, rigid expenses for expenditure)."""

    kind: str
    cause: str
    loss: Decimal
    rigid_expenses: Decimal
    reimbursed: Decimal
    date: dt.date
    same_cause_this_year: bool = False


@dataclass(frozen=True)
class Claim:
    """Medical assistance: one settlement of one member, with that person's year so far."""

    member: int
    in_scope_out_of_pocket: Decimal
    serious_disease: bool
    assisted_this_year: Decimal
    deductible_used_this_year: Decimal
    date: dt.date


@dataclass(frozen=True)
class FuneralService:
    kind: str
    fee: Decimal
    days: int = 0


@dataclass(frozen=True)
class Funeral:
    member: int
    services: tuple[FuneralService, ...]


@dataclass(frozen=True)
class Vehicle:
    value: Decimal
    purpose: str


@dataclass(frozen=True)
class BusinessRole:
    role: str
    employees: int = 0


@dataclass
class Assets:
    financial: Decimal = Decimal("0")
    vehicles: list[Vehicle] = field(default_factory=list)
    homes: list[Decimal] = field(default_factory=list)  # floor areas in m²
    business_roles: list[BusinessRole] = field(default_factory=list)


@dataclass(frozen=True)
class SupporterInfo:
    able: bool
    reason: str = ""


@dataclass
class HouseholdInput:
    hukou_type: str
    members: list[Member]
    area: str | None = None
    assets: Assets = field(default_factory=Assets)
    supporters: list[SupporterInfo] = field(default_factory=list)
    household_id: int | None = None
    enrolled: tuple[str, ...] = ()  # dibao | edge (medical and disability assistance)
    # the hukou is in the county (else the household is registered where it lives, its hukou elsewhere: the
    # programmes that require a hukou in the county refuse it) and, when it is not, whether it holds the
    # county's residence permit (temporary assistance of the expenditure kind)
    hukou_in_county: bool = True
    residence_permit: bool = False
    hardship: Hardship | None = None
    claim: Claim | None = None
    funeral: Funeral | None = None


# ---- JSON ------------------------------------------------------------------------------------------------
def _err(field: str, zh: str, en: str) -> ApplicationError:
    return ApplicationError(f"{field}：{zh}", f"{field}: {en}", field=field, code="invalid_input")


def _amount(value, field: str) -> Decimal:
    """An amount (or an area) as the shared money parser takes it: no NaN, Infinity or exponent, at most two
    decimals, 0 to 999999999999.99."""
    try:
        return money_parse(value, field=field, zh_label="", en_label="")
    except ApplicationError as e:
        raise _err(field, e.zh, e.en.strip()) from None


def _choice(value, allowed, field: str) -> str:
    if value not in allowed:
        raise _err(
            field,
            f"取值无效 {value!r}，可选 {', '.join(allowed)}",
            f"invalid value {value!r}; allowed: {', '.join(allowed)}",
        )
    return value


def _bool(value, field: str, default=False) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _err(field, "应为 true 或 false", "must be true or false")
    return value


def _dict(value, field: str) -> dict:
    if not isinstance(value, dict):
        raise _err(field, "应为对象", "must be an object")
    return value


def _list(value, field: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _err(field, "应为数组", "must be an array")
    return value


def _date(value, field: str, *, required: bool = True) -> dt.date | None:
    if value in (None, "") and not required:
        return None
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise _err(field, "日期格式应为 YYYY-MM-DD", "must be YYYY-MM-DD")
    if not dt.date(1900, 1, 1) <= day <= dt.date(2100, 12, 31):
        raise _err(field, "日期应在 1900 至 2100 年之间", "must be between 1900 and 2100")
    return day


def _int(value, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _err(field, f"应为 {low} 至 {high} 的整数", f"must be an integer from {low} to {high}")
    return value


def _parents(value, p: str) -> list[Parent] | None:
    if value is None:
        return None
    parents = []
    items = _list(value, f"{p}.parents")
    if len(items) > 2:
        raise _err(f"{p}.parents", "最多两位父母", "has at most two parents")
    for j, raw in enumerate(items):
        q = f"{p}.parents[{j}]"
        raw = _dict(raw, q)
        status = _choice(raw.get("status"), PARENT_STATUSES, f"{q}.status")
        since = _date(raw.get("since"), f"{q}.since", required=status == "lost_contact")
        parents.append(Parent(status, since))
    return parents


def _veteran(value, p: str) -> Veteran | None:
    """A member's ``veteran`` object: category, grade (disabled servicemen only, 1–10) and prison terms."""
    if value is None:
        return None
    q = f"{p}.veteran"
    value = _dict(value, q)
    category = _choice(value.get("category"), VETERAN_CATEGORIES, f"{q}.category")
    grade = cause = None
    if category == "disabled":
        grade = _int(value.get("grade"), f"{q}.grade", 1, 10)
        cause = _choice(value.get("cause"), VETERAN_CAUSES, f"{q}.cause")
        if grade > 6 and cause == "illness":
            raise _err(
                f"{q}.cause",
                f"因病致残{grade}级不享受伤残抚恤金（因病只有1至6级）",
                f"a grade {grade} disability from illness carries no pension (illness: grades 1 to 6 only)",
            )
    elif value.get("grade") is not None:
        raise _err(f"{q}.grade", "只有残疾军人有伤残等级", "only a disabled serviceman has a grade")
    elif value.get("cause") is not None:
        raise _err(f"{q}.cause", "只有残疾军人有伤残性质", "only a disabled serviceman has a cause of disability")
    terms = []
    for j, raw in enumerate(_list(value.get("prison"), f"{q}.prison")):
        r = f"{q}.prison[{j}]"
        raw = _dict(raw, r)
        start = _date(raw.get("start"), f"{r}.start")
        release = _date(raw.get("release"), f"{r}.release", required=False)
        if release is not None and release < start:
            raise _err(f"{r}.release", "释放日期不能早于入狱日期", "is before the start")
        terms.append(PrisonTerm(start, release))
    return Veteran(category, grade, tuple(terms), cause)


def member_from_json(raw, i: int) -> Member:
    p = f"members[{i}]"
    raw = _dict(raw, p)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _err(f"{p}.name", "必填", "is required")
    if len(name.strip()) > 50:
        raise _err(
            f"{p}.name", f"最多50个字，现有{len(name.strip())}个", f"is at most 50 characters; got {len(name.strip())}"
        )
    birth = None
    if raw.get("birth_date") not in (None, ""):
        try:
            birth = dt.date.fromisoformat(raw["birth_date"]) if isinstance(raw["birth_date"], str) else None
        except ValueError:
            birth = None
        if birth is None:
            raise _err(f"{p}.birth_date", "日期格式应为 YYYY-MM-DD", "must be YYYY-MM-DD")
        try:
            birth_date_check(birth)
        except ApplicationError as e:
            raise _err(f"{p}.birth_date", e.zh, e.en) from None
    if raw.get("id_number"):
        try:
            if not isinstance(raw["id_number"], str) or len(raw["id_number"]) > 30:
                raise ApplicationError("应为18位身份证号", "must be an 18-character ID number")
            facts = id_parse(raw["id_number"], field=f"{p}.id_number")
        except ApplicationError as e:
            raise _err(f"{p}.id_number", e.zh, e.en) from None
        if birth and birth != facts.birth_date:
            raise _err(
                f"{p}.birth_date",
                f"与身份证号中的出生日期 {facts.birth_date} 不一致",
                f"does not match {facts.birth_date} in the ID number",
            )
        birth = facts.birth_date
    if birth is None:
        raise _err(f"{p}.birth_date", "没有身份证号时必填", "is required without an ID number")
    status = tuple(_choice(s, STATUSES, f"{p}.status") for s in _list(raw.get("status"), f"{p}.status"))
    disability = raw.get("disability")
    kind = grade = None
    if disability is not None:
        disability = _dict(disability, f"{p}.disability")
        kind = _choice(disability.get("kind"), DISABILITY_KINDS, f"{p}.disability.kind")
        grade = disability.get("grade")
        if isinstance(grade, bool) or grade not in (1, 2, 3, 4):
            raise _err(f"{p}.disability.grade", "应为 1 至 4", "must be 1 to 4")
    adl = raw.get("adl_unable", 0)
    if isinstance(adl, bool) or not isinstance(adl, int) or not 0 <= adl <= 6:
        raise _err(f"{p}.adl_unable", "应为 0 至 6 的整数", "must be an integer from 0 to 6")
    incomes = []
    for j, inc in enumerate(_list(raw.get("incomes"), f"{p}.incomes")):
        q = f"{p}.incomes[{j}]"
        inc = _dict(inc, q)
        kind_i = _choice(inc.get("kind"), INCOME_KINDS, f"{q}.kind")
        source = inc.get("from") or ""
        if source:
            _choice(source, SUPPORT_FROM, f"{q}.from")
        incomes.append(Income(kind_i, _amount(inc.get("monthly"), f"{q}.monthly"), source))
    expenses = []
    for j, exp in enumerate(_list(raw.get("expenses"), f"{p}.expenses")):
        q = f"{p}.expenses[{j}]"
        exp = _dict(exp, q)
        expenses.append(
            Expense(_choice(exp.get("kind"), EXPENSE_KINDS, f"{q}.kind"), _amount(exp.get("monthly"), f"{q}.monthly"))
        )
    return Member(
        name=name.strip(),
        birth_date=birth,
        relation=_choice(raw.get("relation", "other"), RELATIONS, f"{p}.relation"),
        status=status,
        student=_bool(raw.get("student"), f"{p}.student"),
        labour_capacity=_choice(raw.get("labour_capacity", "full"), CAPACITIES, f"{p}.labour_capacity"),
        disability_kind=kind,
        disability_grade=grade,
        serious_illness=_bool(raw.get("serious_illness"), f"{p}.serious_illness"),
        adl_unable=adl,
        applicant=_bool(raw.get("applicant"), f"{p}.applicant"),
        applies_alone=_bool(raw.get("applies_alone"), f"{p}.applies_alone"),
        support_mode=_choice(raw.get("support_mode", "scattered"), ("scattered", "centralised"), f"{p}.support_mode"),
        receives_tekun=_bool(raw.get("receives_tekun"), f"{p}.receives_tekun"),
        orphan_allowance=_bool(raw.get("orphan_allowance"), f"{p}.orphan_allowance"),
        incomes=incomes,
        expenses=expenses,
        died_on=_date(raw.get("died_on"), f"{p}.died_on", required=False),
        parents=_parents(raw.get("parents"), p),
        in_institution=_bool(raw.get("in_institution"), f"{p}.in_institution"),
        veteran=_veteran(raw.get("veteran"), p),
        index=i,
    )


def household_from_json(raw) -> HouseholdInput:
    raw = _dict(raw, "household")
    hukou = _choice(raw.get("hukou_type"), ("urban", "rural"), "hukou_type")
    area = raw.get("area")
    if area not in (None, "") and not (isinstance(area, str) and len(area) in (6, 9, 12) and area.isdigit()):
        raise _err("area", "应为区划代码（6、9或12位数字）", "must be a division code (6, 9 or 12 digits)")
    members_raw = _list(raw.get("members"), "members")
    if not members_raw:
        raise _err("members", "至少一名成员", "needs at least one member")
    if len(members_raw) > 100:
        raise _err("members", "最多100名成员", "has at most 100 members")
    members = [member_from_json(m, i) for i, m in enumerate(members_raw)]
    a = _dict(raw.get("assets") or {}, "assets")
    vehicles = []
    for j, v in enumerate(_list(a.get("vehicles"), "assets.vehicles")):
        v = _dict(v, f"assets.vehicles[{j}]")
        vehicles.append(
            Vehicle(
                _amount(v.get("value", 0), f"assets.vehicles[{j}].value"),
                _choice(v.get("purpose", "other"), VEHICLE_PURPOSES, f"assets.vehicles[{j}].purpose"),
            )
        )
    homes = [
        _amount(_dict(h, f"assets.homes[{j}]").get("floor_area_m2"), f"assets.homes[{j}].floor_area_m2")
        for j, h in enumerate(_list(a.get("homes"), "assets.homes"))
    ]
    roles = []
    for j, b in enumerate(_list(a.get("business_roles"), "assets.business_roles")):
        b = _dict(b, f"assets.business_roles[{j}]")
        employees = b.get("employees", 0)
        if isinstance(employees, bool) or not isinstance(employees, int) or employees < 0:
            raise _err(f"assets.business_roles[{j}].employees", "应为非负整数", "must be a non-negative integer")
        roles.append(
            BusinessRole(_choice(b.get("role"), BUSINESS_ROLES, f"assets.business_roles[{j}].role"), employees)
        )
    supporters = []
    for j, s in enumerate(_list(raw.get("supporters"), "supporters")):
        s = _dict(s, f"supporters[{j}]")
        supporters.append(
            SupporterInfo(_bool(s.get("able"), f"supporters[{j}].able", default=True), str(s.get("reason") or ""))
        )
    enrolled = tuple(
        dict.fromkeys(
            _choice(e, ENROLMENTS, f"enrolled[{j}]") for j, e in enumerate(_list(raw.get("enrolled"), "enrolled"))
        )
    )
    hukou_in_county = _bool(raw.get("hukou_in_county"), "hukou_in_county", default=True)
    residence_permit = _bool(raw.get("residence_permit"), "residence_permit", default=False)
    if hukou_in_county and residence_permit:
        raise _err(
            "residence_permit",
            "仅非本县户籍（hukou_in_county 为 false）时填写",
            "applies only when hukou_in_county is false",
        )
    return HouseholdInput(
        hukou_type=hukou,
        enrolled=enrolled,
        hukou_in_county=hukou_in_county,
        residence_permit=residence_permit,
        hardship=_hardship(raw.get("hardship")),
        claim=_claim(raw.get("claim"), len(members)),
        funeral=_funeral(raw.get("funeral"), len(members)),
        members=members,
        area=area or None,
        assets=Assets(
            financial=_amount(a.get("financial", 0), "assets.financial"),
            vehicles=vehicles,
            homes=homes,
            business_roles=roles,
        ),
        supporters=supporters,
    )


def _hardship(raw) -> Hardship | None:
    """``hardship`` (temporary assistance): kind, cause, loss (emergency) or rigid_expenses (expenditure),
    reimbursed, date, same_cause_this_year."""
    if raw is None:
        return None
    raw = _dict(raw, "hardship")
    kind = _choice(raw.get("kind"), HARDSHIP_KINDS, "hardship.kind")
    cause = raw.get("cause")
    if not isinstance(cause, str) or not cause.strip():
        raise _err("hardship.cause", "必填，写明致困原因", "is required: the cause of the hardship")
    if len(cause.strip()) > 100:
        raise _err("hardship.cause", "最多100个字", "is at most 100 characters")
    needed = "loss" if kind == "emergency" else "rigid_expenses"
    if raw.get(needed) in (None, ""):
        zh = "急难型救助须填写损失金额" if kind == "emergency" else "支出型救助须填写刚性支出金额"
        en = "is required for the emergency kind" if kind == "emergency" else "is required for the expenditure kind"
        raise _err(f"hardship.{needed}", zh, en)
    return Hardship(
        kind=kind,
        cause=cause.strip(),
        loss=_amount(raw.get("loss", 0), "hardship.loss"),
        rigid_expenses=_amount(raw.get("rigid_expenses", 0), "hardship.rigid_expenses"),
        reimbursed=_amount(raw.get("reimbursed", 0), "hardship.reimbursed"),
        date=_date(raw.get("date"), "hardship.date"),
        same_cause_this_year=_bool(raw.get("same_cause_this_year"), "hardship.same_cause_this_year"),
    )


def _member_index(value, field: str, count: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < count:
        raise _err(field, f"应为成员序号 0 至 {count - 1}", f"must be a member index from 0 to {count - 1}")
    return value


def _claim(raw, count: int) -> Claim | None:
    """``claim`` (medical assistance): one settlement of one member and that person's year so far."""
    if raw is None:
        return None
    raw = _dict(raw, "claim")
    return Claim(
        member=_member_index(raw.get("member"), "claim.member", count),
        in_scope_out_of_pocket=_amount(raw.get("in_scope_out_of_pocket"), "claim.in_scope_out_of_pocket"),
        serious_disease=_bool(raw.get("serious_disease"), "claim.serious_disease"),
        assisted_this_year=_amount(raw.get("assisted_this_year", 0), "claim.assisted_this_year"),
        deductible_used_this_year=_amount(raw.get("deductible_used_this_year", 0), "claim.deductible_used_this_year"),
        date=_date(raw.get("date"), "claim.date"),
    )


def _funeral(raw, count: int) -> Funeral | None:
    """``funeral`` (basic funeral fee waiver): the deceased member and the funeral home's services."""
    if raw is None:
        return None
    raw = _dict(raw, "funeral")
    services = []
    items = _list(raw.get("services"), "funeral.services")
    if not items:
        raise _err("funeral.services", "至少一项服务", "needs at least one service")
    if len(items) > 50:
        raise _err("funeral.services", "最多50项服务", "has at most 50 services")
    for j, s in enumerate(items):
        q = f"funeral.services[{j}]"
        s = _dict(s, q)
        kind = _choice(s.get("kind"), FUNERAL_SERVICES, f"{q}.kind")
        days = s.get("days", 0)
        if kind == "cold_storage":
            days = _int(days, f"{q}.days", 1, 3650)
        elif days not in (0, None):
            days = _int(days, f"{q}.days", 0, 3650)
        services.append(FuneralService(kind, _amount(s.get("fee"), f"{q}.fee"), days or 0))
    return Funeral(member=_member_index(raw.get("member"), "funeral.member", count), services=tuple(services))
