"""Veterans' periodic payments (优抚: 定期抚恤金和定期生活补助): categories, parameter schema, procedure and
demo-pack versions (domain.md §5e). The rules are ``doudi/programmes/rules/veterans.py``.

The categories and their monthly amounts are parameters versioned by date and area: national standards change each
year from 1 August, when the veterans affairs department sends the year's table (loaded on the 优抚标准 page, or
entered in the parameter editor). The domain guide gives no amounts, so the demo pack's are illustrative (close in
size to the national standards of recent years, rounded); a county loads its own. Disabled servicemen are paid
as the national table 《伤残抚恤金标准》 pays them: by the cause of the disability (伤残性质: 因战 war, 因公 duty,
因病 illness) and the grade, one parameter each (``disabled_war_1`` … ``disabled_war_10``, ``disabled_duty_1`` …
``disabled_duty_10``, ``disabled_illness_1`` … ``disabled_illness_6``): a disability from illness of grade 7 to 10
carries no pension, so it has no parameter and such an entitlement is refused. The demo's amounts are illustrative:
the duty column is the size of recent national standards, the war column about 5% above it and the illness column
about 8% below, rounded to 10 yuan, so that at every grade war > duty > illness and each column falls with the
grade (docs/policy.md). Former Kuomintang war veterans
receive no monthly payment, only the year's one-off grants; everyone on the roster receives the Spring Festival
visit grant."""

from __future__ import annotations

from decimal import Decimal

from doudi.programmes.spec import PER_MONTH, YUAN, ParamSpec, Procedure, ProcedureStep, ProgrammeShape

# (code, Chinese, English, parameter holding its monthly amount; None: one-off grants only)
CATEGORIES = (
    ("disabled", "残疾军人", "Disabled servicemen", None),  # by cause and grade: disabled_<cause>_<grade>
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
ZH_GRADE = "一二三四五六七八九十"
GRADES = tuple(range(1, 11))
# The cause of a disabled serviceman's disability (伤残性质), as the national table's columns: (code, Chinese,
# English, the grades that carry a pension). Illness (因病) pays grades 1–6 only.
CAUSES = (
    ("war", "因战", "War", GRADES),
    ("duty", "因公", "Duty", GRADES),
    ("illness", "因病", "Illness", tuple(range(1, 7))),
)
CAUSE_CODES = tuple(c[0] for c in CAUSES)
# The cause given to disabled servicemen entered before causes were recorded (benefits migration 0007): their
# amounts do not change, since each cause's parameter of a grade starts as the old parameter of that grade
# (programmes migration 0006); the county corrects the cause from each certificate on the person's page.
LEGACY_CAUSE = "duty"
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


def cause_label(code: str | None, en: bool = False) -> str:
    for c, zh, english, _grades in CAUSES:
        if c == code:
            return english if en else zh
    return code or ""


def cause_grades(cause: str | None) -> tuple[int, ...]:
    """The grades that carry a pension for ``cause`` (none for an unknown cause)."""
    for c, _zh, _en, grades in CAUSES:
        if c == cause:
            return grades
    return ()


def disabled_param(cause: str | None, grade: int | None) -> str | None:
    """The parameter of a disabled serviceman's monthly pension; None: no pension (illness, grades 7–10)."""
    return f"disabled_{cause}_{grade}" if grade in cause_grades(cause) else None


# Every (cause, grade, parameter) of the table, in the order the national table lists them
DISABLED_PARAMS = tuple((c, g, f"disabled_{c}_{g}") for c, _zh, _en, grades in CAUSES for g in grades)


def disabled_label(cause: str | None, grade: int | None, en: bool = False) -> str:
    """ "因公三级残疾军人" / "Disabled serviceman, grade 3 (duty)"."""
    if en:
        return f"Disabled serviceman, grade {grade} ({cause_label(cause, True).lower()})"
    return f"{cause_label(cause)}{ZH_GRADE[grade - 1]}级残疾军人" if grade in GRADES else "残疾军人"


def disabled_grid(cells: dict, en: bool = False) -> list[tuple[str, list]]:
    """The national table's disabled servicemen as the pages show it, grade × cause: for each grade its label and,
    for each cause in ``CAUSES`` order, ``cells[parameter]`` (None where the cause pays nothing at that grade)."""
    return [
        (
            f"Grade {g}" if en else f"{ZH_GRADE[g - 1]}级",
            [cells.get(disabled_param(c, g)) if disabled_param(c, g) else None for c in CAUSE_CODES],
        )
        for g in GRADES
    ]


def cause_headers(en: bool = False) -> list[str]:
    """The grid's column heads: 因战、因公、因病."""
    return [cause_label(c, en) for c in CAUSE_CODES]


def grant_label(code: str, en: bool = False) -> str:
    for c, zh, english, _param, _cats in GRANTS:
        if c == code:
            return english if en else zh
    return code


def amount_param(category: str, grade: int | None, cause: str | None = None) -> str | None:
    """The parameter holding a category's monthly amount (a disabled serviceman's by cause and grade); None: no
    monthly payment (former Kuomintang war veterans, one-off grants only; a disability from illness of grade 7–10)."""
    if category == "disabled":
        return disabled_param(cause, grade)
    for c, _zh, _en, param in CATEGORIES:
        if c == category:
            return param
    return None


def grant_applies(grant: str, category: str) -> bool:
    for c, _zh, _en, _param, categories in GRANTS:
        if c == grant:
            return not categories or category in categories
    return False


SPECS = (
    *(
        ParamSpec(
            param,
            "money",
            disabled_label(cause, g),
            disabled_label(cause, g, en=True),
            Decimal(0),
            positive=True,
            help=f"{disabled_label(cause, g)}每人每月的伤残抚恤金",
            help_en=f"Disability pension of a grade {g} disabled serviceman ({cause_label(cause, True).lower()}), per month",
            **PER_MONTH,
        )
        for cause, g, param in DISABLED_PARAMS
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


def _disabled(**columns: tuple[str, ...]) -> dict[str, str]:
    """A year's disabled servicemen's columns (cause → amounts from grade 1) as parameter values."""
    return {
        f"disabled_{cause}_{g}": amount
        for cause, amounts in columns.items()
        for g, amount in zip(cause_grades(cause), amounts, strict=True)
    }


_Y2024 = {
    **_disabled(
        war=(
            "8430.00",
            "7600.00",
            "6780.00",
            "5420.00",
            "4340.00",
            "3470.00",
            "2710.00",
            "1650.00",
            "1280.00",
            "860.00",
        ),
        duty=(
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
        illness=("7390.00", "6660.00", "5940.00", "4750.00", "3800.00", "3040.00"),
    ),
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
    **_disabled(
        war=(
            "8790.00",
            "7930.00",
            "7070.00",
            "5650.00",
            "4520.00",
            "3610.00",
            "2820.00",
            "1720.00",
            "1330.00",
            "890.00",
        ),
        duty=(
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
        illness=("7700.00", "6950.00", "6190.00", "4950.00", "3960.00", "3160.00"),
    ),
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
    **_disabled(
        war=(
            "9140.00",
            "8230.00",
            "7350.00",
            "5880.00",
            "4690.00",
            "3760.00",
            "2940.00",
            "1790.00",
            "1390.00",
            "930.00",
        ),
        duty=(
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
        illness=("8000.00", "7210.00", "6440.00", "5150.00", "4110.00", "3290.00"),
    ),
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


def legacy_values_upgrade(values: dict) -> tuple[dict, list[tuple[str, list[str]]]]:
    """Values written before causes were modelled, read as today's: each ``disabled_<g>`` is carried to every
    cause's parameter of grade g (``disabled_war_<g>``, ``disabled_duty_<g>``, and ``disabled_illness_<g>`` for
    grades 1–6), as programmes migration 0006 carried the stored versions; a cause's parameter given as well is
    kept. Returns the values and, for each old name carried, (old name, the new names it filled)."""
    out, carried = dict(values), []
    for g in GRADES:
        old = f"disabled_{g}"
        if old not in out:
            continue
        amount = out.pop(old)
        filled = [
            f"disabled_{c}_{g}" for c, _zh, _en, grades in CAUSES if g in grades and f"disabled_{c}_{g}" not in out
        ]
        out.update(dict.fromkeys(filled, amount))
        carried.append((old, filled))
    return out, carried
