"""The departments and the kinds of data they deliver, each with its declared schema.

Every element follows the data dictionary of MZ/T 073-2024 (居民家庭经济状况核对 数据元): it belongs to one of the
five classes of data elements and is marked sensitive or not. Sensitive elements (amounts, balances, certificate,
plate and account numbers, diagnoses, addresses) are encrypted at rest in ``DatasetRecord.sealed``; the others stay
readable in ``DatasetRecord.values``. The name and the resident ID number are common to every kind (the ID
number is encrypted and matched through its blind index, like the registry's).

A kind is data here (its elements and the headers a department's file may use for them), never a rule: what a
record means for a household (a monthly income, an asset, a status) is derived in ``derive.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.core.errors import ApplicationError
from doudi.core.labels import said


class ElementClass(models.TextChoices):
    """MZ/T 073's five classes of data elements."""

    IDENTITY = "identity", _("身份类")
    INCOME = "income", _("收入类")
    PROPERTY = "property", _("财产类")
    EXPENDITURE = "expenditure", _("支出类")
    STATUS = "status", _("状况类")


class Department(models.TextChoices):
    PUBLIC_SECURITY = "public_security", _("公安机关（户籍）")
    TRAFFIC = "traffic", _("公安交通管理部门（车辆）")
    HUMAN_RESOURCES = "human_resources", _("人力资源社会保障部门")
    NATURAL_RESOURCES = "natural_resources", _("自然资源部门（不动产登记）")
    MARKET_REGULATION = "market_regulation", _("市场监督管理部门")
    HOUSING_FUND = "housing_fund", _("住房公积金管理中心")
    TAX = "tax", _("税务部门")
    FINANCE = "finance", _("财政部门（财政供养人员）")
    FINANCIAL_INSTITUTIONS = "financial_institutions", _("银行、证券等金融机构")
    DISABLED_FEDERATION = "disabled_federation", _("残疾人联合会")
    MEDICAL_INSURANCE = "medical_insurance", _("医疗保障部门")
    CIVIL_AFFAIRS = "civil_affairs", _("民政部门（婚姻、殡葬、救助对象）")


# element types
TEXT, DATE, MONEY, INT, CHOICE, MONTH = "text", "date", "money", "int", "choice", "month"
TYPE_LABELS = {
    TEXT: ("文字", "Text"),
    DATE: ("日期（如 2026-03-01）", "Date (YYYY-MM-DD)"),
    MONEY: ("金额（元，两位小数）", "Amount (yuan, two decimals)"),
    INT: ("整数", "Whole number"),
    CHOICE: ("代码表", "One of a list"),
    MONTH: ("月份（如 2026-03）", "Month (YYYY-MM)"),
}


@dataclass(frozen=True)
class Element:
    code: str
    zh: str
    en: str
    type: str
    cls: str
    sensitive: bool = False
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()  # (code, Chinese label): either is accepted in a file
    aliases: tuple[str, ...] = ()  # other headers departments use for it
    max_length: int = 100

    @property
    def label(self) -> str:
        """The element's name in the reader's language."""
        return said(self.zh, self.en)

    @property
    def choice_labels(self) -> list[str]:
        """The allowed values as a file may write them (Chinese), or their codes in words for an English reader."""
        return [said(label, CODE_WORDS.get(code, code.replace("_", " "))) for code, label in self.choices]

    @property
    def type_label(self) -> str:
        return said(*TYPE_LABELS[self.type])

    @property
    def cls_label(self) -> str:
        return str(ElementClass(self.cls).label)


@dataclass(frozen=True)
class DatasetKind:
    code: str
    department: str
    zh: str
    en: str
    elements: tuple[Element, ...]
    # the request file's columns in this department's layout (header labels for name, ID number, reference)
    request_headers: tuple[str, str, str] = ("姓名", "公民身份号码", "授权书编号")
    alerts: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        """The kind's name in the reader's language."""
        return said(self.zh, self.en)

    @property
    def department_label(self) -> str:
        return str(Department(self.department).label)

    def element(self, code: str) -> Element:
        return next(e for e in self.elements if e.code == code)

    @property
    def sensitive_codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.elements if e.sensitive)


C = ElementClass
NAME = Element("name", "姓名", "Name", TEXT, C.IDENTITY, max_length=50, aliases=("人员姓名", "户主姓名"))
ID_NUMBER = Element(
    "id_number",
    "公民身份号码",
    "Resident ID number",
    TEXT,
    C.IDENTITY,
    sensitive=True,
    required=False,
    aliases=("身份证号", "身份证号码", "证件号码"),
    max_length=18,
)
COMMON = (NAME, ID_NUMBER)


def _e(code, zh, en, type_, cls, **kw) -> Element:
    return Element(code, zh, en, type_, cls, **kw)


HUKOU_STATUS = (
    ("normal", "正常"),
    ("moved_out", "迁出"),
    ("deceased", "死亡注销"),
    ("cancelled", "其他注销"),
)
ROLE_CHOICES = (("legal_rep", "法定代表人"), ("shareholder", "股东"), ("executive", "高级管理人员"))
ACCOUNT_KINDS = (("deposit", "存款"), ("securities", "证券"), ("wealth", "理财产品"), ("insurance", "商业保险"))
MARRIAGE_EVENTS = (("married", "结婚登记"), ("divorced", "离婚登记"))
ASSISTANCE_PROGRAMMES = (("dibao", "最低生活保障"), ("tekun", "特困人员救助供养"))
# codes an English reader gets in words other than the code's own (the programmes' names, not their codes)
CODE_WORDS = {"dibao": "minimum living allowance", "tekun": "extreme poverty support"}
DISABILITY_KINDS = (
    ("visual", "视力"),
    ("hearing", "听力"),
    ("speech", "言语"),
    ("physical", "肢体"),
    ("intellectual", "智力"),
    ("mental", "精神"),
    ("multiple", "多重"),
)
VEHICLE_TYPES = (("car", "小型汽车"), ("truck", "货车"), ("motorcycle", "摩托车"), ("tractor", "拖拉机"))
INSURANCE_KINDS = (("employee_pension", "职工养老保险"), ("resident_pension", "城乡居民养老保险"))

KINDS: dict[str, DatasetKind] = {
    k.code: k
    for k in [
        DatasetKind(
            "hukou",
            Department.PUBLIC_SECURITY,
            "户籍登记",
            "Household registration",
            COMMON
            + (
                _e("status", "户籍状态", "Status", CHOICE, C.STATUS, choices=HUKOU_STATUS),
                _e("address_code", "户籍地区划代码", "Registered area code", TEXT, C.IDENTITY, max_length=12),
                _e("event_date", "变动日期", "Date of change", DATE, C.STATUS, required=False),
            ),
        ),
        DatasetKind(
            "death",
            Department.PUBLIC_SECURITY,
            "死亡人员",
            "Deaths",
            COMMON + (_e("death_date", "死亡日期", "Date of death", DATE, C.STATUS),),
        ),
        DatasetKind(
            "wage",
            Department.HUMAN_RESOURCES,
            "工资收入",
            "Wages",
            COMMON
            + (
                _e("employer", "工作单位", "Employer", TEXT, C.INCOME),
                _e("period", "所属月份", "Month", MONTH, C.INCOME),
                _e("monthly_wage", "应发工资（元/月）", "Gross wage (yuan a month)", MONEY, C.INCOME, sensitive=True),
            ),
            request_headers=("姓名", "身份证号码", "授权编号"),
        ),
        DatasetKind(
            "pension",
            Department.HUMAN_RESOURCES,
            "养老金",
            "Pensions",
            COMMON
            + (
                _e("scheme", "险种", "Scheme", CHOICE, C.INCOME, choices=INSURANCE_KINDS),
                _e("monthly_pension", "月领取金额（元）", "Monthly pension (yuan)", MONEY, C.INCOME, sensitive=True),
                _e("start_date", "开始领取日期", "Paid since", DATE, C.INCOME, required=False),
            ),
            request_headers=("姓名", "身份证号码", "授权编号"),
        ),
        DatasetKind(
            "unemployment",
            Department.HUMAN_RESOURCES,
            "失业保险金",
            "Unemployment benefit",
            COMMON
            + (
                _e("monthly_benefit", "月领取金额（元）", "Monthly benefit (yuan)", MONEY, C.INCOME, sensitive=True),
                _e("start_date", "开始日期", "From", DATE, C.INCOME),
                _e("end_date", "终止日期", "Until", DATE, C.INCOME, required=False),
            ),
            request_headers=("姓名", "身份证号码", "授权编号"),
        ),
        DatasetKind(
            "social_insurance",
            Department.HUMAN_RESOURCES,
            "社会保险参保缴费",
            "Social insurance contributions",
            COMMON
            + (
                _e("scheme", "险种", "Scheme", CHOICE, C.STATUS, choices=INSURANCE_KINDS),
                _e("employer", "参保单位", "Employer", TEXT, C.STATUS, required=False),
                _e("base", "缴费基数（元/月）", "Contribution base (yuan a month)", MONEY, C.INCOME, sensitive=True),
                _e("period", "缴费月份", "Month", MONTH, C.STATUS),
            ),
            request_headers=("姓名", "身份证号码", "授权编号"),
        ),
        DatasetKind(
            "real_estate",
            Department.NATURAL_RESOURCES,
            "不动产登记",
            "Real estate",
            COMMON
            + (
                _e("certificate", "不动产权证号", "Title number", TEXT, C.PROPERTY, sensitive=True),
                _e("address", "坐落", "Location", TEXT, C.PROPERTY, sensitive=True, max_length=200),
                _e("floor_area_m2", "建筑面积（平方米）", "Floor area (m²)", MONEY, C.PROPERTY),
                _e("registered_on", "登记日期", "Registered on", DATE, C.PROPERTY),
            ),
            request_headers=("权利人", "证件号码", "授权书编号"),
        ),
        DatasetKind(
            "vehicle",
            Department.TRAFFIC,
            "机动车登记",
            "Vehicles",
            COMMON
            + (
                _e("plate", "号牌号码", "Plate", TEXT, C.PROPERTY, sensitive=True, max_length=12),
                _e("vehicle_type", "车辆类型", "Type", CHOICE, C.PROPERTY, choices=VEHICLE_TYPES),
                _e("registered_on", "初次登记日期", "First registered", DATE, C.PROPERTY),
                _e(
                    "price",
                    "购置价格（元）",
                    "Purchase price (yuan)",
                    MONEY,
                    C.PROPERTY,
                    sensitive=True,
                    required=False,
                ),
            ),
            request_headers=("机动车所有人", "身份证明号码", "授权书编号"),
        ),
        DatasetKind(
            "business",
            Department.MARKET_REGULATION,
            "市场主体登记",
            "Business registrations",
            COMMON
            + (
                _e("enterprise", "市场主体名称", "Business name", TEXT, C.PROPERTY),
                _e("credit_code", "统一社会信用代码", "Unified credit code", TEXT, C.PROPERTY, max_length=18),
                _e("role", "人员身份", "Role", CHOICE, C.PROPERTY, choices=ROLE_CHOICES),
                _e("registered_on", "成立日期", "Established", DATE, C.PROPERTY),
                _e("capital", "注册资本（元）", "Registered capital (yuan)", MONEY, C.PROPERTY, sensitive=True),
            ),
        ),
        DatasetKind(
            "housing_fund",
            Department.HOUSING_FUND,
            "住房公积金",
            "Housing provident fund",
            COMMON
            + (
                _e("employer", "缴存单位", "Employer", TEXT, C.INCOME),
                _e("monthly_deposit", "月缴存额（元）", "Monthly deposit (yuan)", MONEY, C.INCOME, sensitive=True),
                _e("balance", "账户余额（元）", "Balance (yuan)", MONEY, C.PROPERTY, sensitive=True),
            ),
        ),
        DatasetKind(
            "tax",
            Department.TAX,
            "个人所得税",
            "Individual income tax",
            COMMON
            + (
                _e("year", "纳税年度", "Tax year", INT, C.INCOME),
                _e("annual_income", "年度收入额（元）", "Annual income (yuan)", MONEY, C.INCOME, sensitive=True),
                _e("tax_paid", "已缴税额（元）", "Tax paid (yuan)", MONEY, C.EXPENDITURE, sensitive=True),
            ),
            request_headers=("纳税人姓名", "纳税人识别号", "授权书编号"),
        ),
        DatasetKind(
            "state_payroll",
            Department.FINANCE,
            "财政供养人员",
            "People paid from the state payroll",
            COMMON
            + (
                _e("unit", "工作单位", "Unit", TEXT, C.STATUS),
                _e("monthly_pay", "月工资（元）", "Monthly pay (yuan)", MONEY, C.INCOME, sensitive=True),
            ),
        ),
        DatasetKind(
            "financial",
            Department.FINANCIAL_INSTITUTIONS,
            "金融资产",
            "Bank and securities balances",
            COMMON
            + (
                _e("institution", "金融机构", "Institution", TEXT, C.PROPERTY),
                _e("account_kind", "资产类别", "Kind", CHOICE, C.PROPERTY, choices=ACCOUNT_KINDS),
                _e("account", "账号", "Account", TEXT, C.PROPERTY, sensitive=True, max_length=32),
                _e("balance", "余额（元）", "Balance (yuan)", MONEY, C.PROPERTY, sensitive=True),
            ),
            request_headers=("客户姓名", "证件号码", "查询授权编号"),
        ),
        DatasetKind(
            "disability",
            Department.DISABLED_FEDERATION,
            "残疾人证",
            "Disability certificates",
            COMMON
            + (
                _e("card", "残疾人证号", "Certificate number", TEXT, C.STATUS, sensitive=True, max_length=30),
                _e("disability_kind", "残疾类别", "Kind", CHOICE, C.STATUS, choices=DISABILITY_KINDS),
                _e("grade", "残疾等级", "Grade", INT, C.STATUS),
                _e("issued_on", "发证日期", "Issued on", DATE, C.STATUS),
            ),
        ),
        DatasetKind(
            "medical",
            Department.MEDICAL_INSURANCE,
            "医疗费用",
            "Medical costs",
            COMMON
            + (
                _e("year", "年度", "Year", INT, C.EXPENDITURE),
                _e("total_cost", "医疗总费用（元）", "Total cost (yuan)", MONEY, C.EXPENDITURE, sensitive=True),
                _e("out_of_pocket", "个人自付（元）", "Out of pocket (yuan)", MONEY, C.EXPENDITURE, sensitive=True),
                _e("diagnosis", "主要诊断", "Main diagnosis", TEXT, C.STATUS, sensitive=True, required=False),
            ),
        ),
        DatasetKind(
            "marriage",
            Department.CIVIL_AFFAIRS,
            "婚姻登记",
            "Marriage registrations",
            COMMON
            + (
                _e("event", "登记类别", "Registration", CHOICE, C.STATUS, choices=MARRIAGE_EVENTS),
                _e("event_date", "登记日期", "Date", DATE, C.STATUS),
                _e("spouse_name", "对方姓名", "Other party", TEXT, C.IDENTITY, max_length=50),
            ),
        ),
        DatasetKind(
            "funeral",
            Department.CIVIL_AFFAIRS,
            "殡葬（火化）记录",
            "Funeral and cremation records",
            COMMON
            + (
                _e("death_date", "死亡日期", "Date of death", DATE, C.STATUS),
                _e("cremation_date", "火化日期", "Cremated on", DATE, C.STATUS, required=False),
                _e("funeral_home", "殡仪馆", "Funeral home", TEXT, C.STATUS, required=False),
            ),
        ),
        DatasetKind(
            "assistance",
            Department.CIVIL_AFFAIRS,
            "社会救助对象（低收入人口数据库）",
            "Social assistance recipients (the low-income population database)",
            COMMON
            + (
                _e("programme", "救助类别", "Programme", CHOICE, C.STATUS, choices=ASSISTANCE_PROGRAMMES),
                _e("area_code", "保障地区划代码", "Area code where enrolled", TEXT, C.STATUS, max_length=12),
                _e("since", "纳入保障日期", "Enrolled since", DATE, C.STATUS),
                _e(
                    "monthly_amount",
                    "月保障金额（元）",
                    "Monthly amount (yuan)",
                    MONEY,
                    C.INCOME,
                    sensitive=True,
                    required=False,
                ),
            ),
        ),
    ]
}


def kind_get(code: str) -> DatasetKind:
    if code not in KINDS:
        raise ApplicationError(
            f"数据类别无效，可选：{'、'.join(KINDS)}",
            f"Unknown dataset kind; allowed: {', '.join(KINDS)}",
            field="kind",
            code="invalid_choice",
        )
    return KINDS[code]


def kinds_of(department: str) -> list[DatasetKind]:
    return [k for k in KINDS.values() if k.department == department]
