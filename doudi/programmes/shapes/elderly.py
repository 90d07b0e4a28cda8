"""Old-age allowance (高龄津贴): parameter schema, procedure and demo-pack versions (domain.md §5a). The rules
are ``doudi/programmes/rules/elderly.py``."""

from __future__ import annotations

from decimal import Decimal

from doudi.programmes.spec import YEAR, ParamSpec, Procedure, ProcedureStep, ProgrammeShape

AGE = {"unit": "周岁", "unit_en": "years"}

SPECS = (
    ParamSpec(
        "age_1",
        "int",
        "第一档起始年龄",
        "First bracket from age",
        60,
        120,
        help="达到此年龄的生日当月起发放第一档",
        help_en="The first bracket is paid from the month of this birthday",
        **AGE,
    ),
    ParamSpec(
        "annual_1",
        "money",
        "第一档年标准",
        "First bracket per year",
        Decimal(0),
        positive=True,
        help="第一档每人每年的金额（演示：80–89岁 240元）",
        help_en="Yearly amount of the first bracket (demo: aged 80–89, 240.00)",
        **YEAR,
    ),
    ParamSpec(
        "age_2",
        "int",
        "第二档起始年龄",
        "Second bracket from age",
        60,
        120,
        help="达到此年龄的生日当月起发放第二档",
        help_en="The second bracket is paid from the month of this birthday",
        **AGE,
    ),
    ParamSpec(
        "annual_2",
        "money",
        "第二档年标准",
        "Second bracket per year",
        Decimal(0),
        positive=True,
        help="第二档每人每年的金额（演示：90–99岁 500元）",
        help_en="Yearly amount of the second bracket (demo: aged 90–99, 500.00)",
        **YEAR,
    ),
    ParamSpec(
        "age_3",
        "int",
        "第三档起始年龄",
        "Third bracket from age",
        60,
        130,
        help="达到此年龄的生日当月起发放第三档",
        help_en="The third bracket is paid from the month of this birthday",
        **AGE,
    ),
    ParamSpec(
        "annual_3",
        "money",
        "第三档年标准",
        "Third bracket per year",
        Decimal(0),
        positive=True,
        help="第三档每人每年的金额（演示：100岁以上 3600元）",
        help_en="Yearly amount of the third bracket (demo: aged 100+, 3,600.00)",
        **YEAR,
    ),
)

PROCEDURE = Procedure(
    applies_at="registry",
    applies_zh="按户籍登记的出生日期自动生成名册（无需申请）",
    applies_en="A roster built from the registry by birth date (no application)",
    steps=(
        ProcedureStep(
            "county", "每月按出生日期生成名册（新满80周岁、升档、死亡停发）", "Monthly roster from birth dates", None
        ),
        ProcedureStep("village", "村（社区）核实确认名册", "The village confirms the roster", 5),
        ProcedureStep("township", "乡镇审核", "Township review", 3),
        ProcedureStep("county", "县级审批后按月发放", "County approval, paid monthly", 3),
    ),
    public_notice_days=None,
    approval="county",
    pays_from="birthday_month",
)

SHAPE = ProgrammeShape(
    code="elderly",
    name_zh="高龄津贴",
    name_en="Old-age allowance",
    kind="categorical_cash",
    unit="person",
    payment="monthly",
    specs=SPECS,
    procedure=PROCEDURE,
    source="县高龄津贴制度（工作总结）",
    pack=(
        {
            "effective_from": "2015-01-01",
            "note": "80–89岁240元/年、90–99岁500元/年（工作总结），100岁以上3600元/年（演示）",
            "values": {
                "age_1": 80,
                "annual_1": "240.00",
                "age_2": 90,
                "annual_2": "500.00",
                "age_3": 100,
                "annual_3": "3600.00",
            },
        },
    ),
)
