"""Veterans' periodic payments (优抚: 定期抚恤金和定期生活补助): categories, parameter schema, procedure and
demo-pack versions (domain.md §5e). The rules are ``doudi/programmes/rules/veterans.py``.

The categories and their monthly amounts are parameters versioned by date and area: national standards change each
year from 1 August, when the veterans affairs department sends the year's table (loaded on the 优抚标准 page, or
entered in the parameter editor). The domain guide gives no amounts, so the demo pack's are illustrative (close in
size to the national standards of recent years, rounded); a county loads its own. Disabled servicemen are paid by
grade (1–10) only: the national table's separate columns by cause (因战、因公、因病) are not modelled, so a county
enters the amount of the cause its people have (documented in docs/policy.md). Former Kuomintang war veterans
receive no monthly payment, only the year's one-off grants; everyone on the roster receives the Spring Festival
visit grant."""

from __future__ import annotations

from decimal import Decimal

from doudi.programmes.spec import PER_MONTH, YUAN, ParamSpec, Procedure, ProcedureStep, ProgrammeShape

# (code, Chinese, English, parameter holding its monthly amount; None: one-off grants only)
CATEGORIES = (
    ("disabled", "残疾军人", "Disabled servicemen", None),  # by grade: disabled_1 … disabled_10
    ("martyr_family", "烈士遗属", "Family of a martyr", "martyr_family"),
    ("duty_death_family", "因公牺牲军人遗属", "Family of a serviceman who died on duty", "duty_death_family"),
    ("illness_death_family", "病故军人遗属", "Family of a serviceman who died of illness", "illness_death_family"),
    ("demobilised", "在乡复员军人", "Demobilised veteran in the countryside", "demobilised"),
    ("ill_returned", "带病回乡退伍军人", "Veteran returned home with illness", "ill_returned"),
    ("war_participant", "参战退役人员", "Veteran who took part in a war", "war_participant"),
    ("nuclear_participant", "参试退役人员", "Veteran who took part in nuclear tests", "nuclear_participant"),
    ("kmt_veteran", "原国民党抗战老兵", "Former Kuomintang war veteran", None),  # one-off grants only
)
CATEGORY_CODES = tuple(c[0] for c in CATEGORIES)
GRADES = tuple(range(1, 11))
# One-off grants: (code, Chinese, English, parameter, categories it goes to; () = every category)
GRANTS = (
    ("spring_festival", "春节慰问金", "Spring Festival visit grant", "grant_spring_festival", ()),
    (
        "kmt_veteran",
        "原国民党抗战老兵生活补助",
        "Former Kuomintang war veterans' grant",
        "grant_kmt_veteran",
        ("kmt_veteran",),
    ),
)
GRANT_CODES = tuple(g[0] for g in GRANTS)


def category_label(code: str, en: bool = False) -> str:
    for c, zh, english, _param in CATEGORIES:
        if c == code:
            return english if en else zh
    return code


def grant_label(code: str, en: bool = False) -> str:
    for c, zh, english, _param, _cats in GRANTS:
        if c == code:
            return english if en else zh
    return code


def amount_param(category: str, grade: int | None) -> str | None:
    """The parameter holding a category's monthly amount (a disabled serviceman's by grade); None: no monthly
    payment (former Kuomintang war veterans, one-off grants only)."""
    if category == "disabled":
        return f"disabled_{grade}" if grade in GRADES else None
    for c, _zh, _en, param in CATEGORIES:
        if c == category:
            return param
    return None


def grant_applies(grant: str, category: str) -> bool:
    for c, _zh, _en, _param, categories in GRANTS:
        if c == grant:
            return not categories or category in categories
    return False


ZH_GRADE = "一二三四五六七八九十"
SPECS = (
    *(
        ParamSpec(
            f"disabled_{g}",
            "money",
            f"残疾军人{ZH_GRADE[g - 1]}级",
            f"Disabled serviceman, grade {g}",
            Decimal(0),
            positive=True,
            help=f"{ZH_GRADE[g - 1]}级残疾军人每人每月的伤残抚恤金",
            help_en=f"Disability pension of a grade {g} disabled serviceman, per month",
            **PER_MONTH,
        )
        for g in GRADES
    ),
    *(
        ParamSpec(
            param,
            "money",
            zh,
            en,
            Decimal(0),
            positive=True,
            help=f"{zh}每人每月",
            help_en=f"{en}, per month",
            **PER_MONTH,
        )
        for _c, zh, en, param in CATEGORIES
        if param
    ),
    *(
        ParamSpec(param, "money", zh, en, Decimal(0), help="每人每年一次", help_en="Once a year per person", **YUAN)
        for _c, zh, en, param, _cats in GRANTS
    ),
)

PROCEDURE = Procedure(
    applies_at="hukou_township",
    applies_zh="户籍所在地乡镇（街道），凭残疾军人证、烈士证明书或退役军人事务部门的认定",
    applies_en="The township of the hukou, with the certificate or the veterans affairs department's recognition",
    steps=(
        ProcedureStep(
            "township", "乡镇录入优抚对象（类别、等级、起始月、账户）", "Township enters the entitled person", None
        ),
        ProcedureStep("county", "县级审核后按月发放", "County approval, paid monthly", 10),
    ),
    public_notice_days=None,
    approval="county",
    pays_from="month_of_application",
)

# Illustrative demo amounts (domain.md §5e gives none): monthly, in force from 1 August of each year.
_Y2024 = {
    **{
        f"disabled_{g}": v
        for g, v in zip(
            GRADES,
            (
                "8030.00",
                "7240.00",
                "6460.00",
                "5160.00",
                "4130.00",
                "3300.00",
                "2580.00",
                "1570.00",
                "1220.00",
                "820.00",
            ),
            strict=True,
        )
    },
    "martyr_family": "2700.00",
    "duty_death_family": "2280.00",
    "illness_death_family": "2230.00",
    "demobilised": "1760.00",
    "ill_returned": "1150.00",
    "war_participant": "900.00",
    "nuclear_participant": "900.00",
    "grant_spring_festival": "500.00",
    "grant_kmt_veteran": "3000.00",
}
_Y2025 = {
    **{
        f"disabled_{g}": v
        for g, v in zip(
            GRADES,
            (
                "8370.00",
                "7550.00",
                "6730.00",
                "5380.00",
                "4300.00",
                "3440.00",
                "2690.00",
                "1640.00",
                "1270.00",
                "850.00",
            ),
            strict=True,
        )
    },
    "martyr_family": "2810.00",
    "duty_death_family": "2380.00",
    "illness_death_family": "2320.00",
    "demobilised": "1830.00",
    "ill_returned": "1200.00",
    "war_participant": "940.00",
    "nuclear_participant": "940.00",
    "grant_spring_festival": "500.00",
    "grant_kmt_veteran": "3000.00",
}
_Y2026 = {
    **{
        f"disabled_{g}": v
        for g, v in zip(
            GRADES,
            (
                "8700.00",
                "7840.00",
                "7000.00",
                "5600.00",
                "4470.00",
                "3580.00",
                "2800.00",
                "1700.00",
                "1320.00",
                "890.00",
            ),
            strict=True,
        )
    },
    "martyr_family": "2920.00",
    "duty_death_family": "2470.00",
    "illness_death_family": "2410.00",
    "demobilised": "1900.00",
    "ill_returned": "1250.00",
    "war_participant": "980.00",
    "nuclear_participant": "980.00",
    "grant_spring_festival": "600.00",
    "grant_kmt_veteran": "3000.00",
}

SHAPE = ProgrammeShape(
    code="veterans",
    name_zh="优抚对象定期抚恤补助",
    name_en="Veterans' periodic payments",
    kind="categorical_cash",
    unit="person",
    payment="monthly",
    specs=SPECS,
    procedure=PROCEDURE,
    source="《军人抚恤优待条例》；退役军人事务部、财政部每年8月1日起调整的抚恤补助标准",
    pack=(
        {"effective_from": "2024-08-01", "note": "2024年8月1日起标准（演示，示意金额）", "values": _Y2024},
        {"effective_from": "2025-08-01", "note": "2025年8月1日起标准（演示，示意金额）", "values": _Y2025},
        {"effective_from": "2026-08-01", "note": "2026年8月1日起标准（演示，示意金额）", "values": _Y2026},
    ),
)
