"""The disability two subsidies (残疾人两项补贴): parameter schema, procedure and demo-pack versions (domain.md
§5c). The rules are ``doudi/programmes/rules/disability.py``."""

from __future__ import annotations

from decimal import Decimal

from doudi.programmes.spec import PER_MONTH, ParamSpec, Procedure, ProcedureStep, ProgrammeShape

SPECS = (
    ParamSpec(
        "living_subsidy",
        "money",
        "困难残疾人生活补贴",
        "Living subsidy",
        Decimal(0),
        help="低保家庭中每位残疾人每月",
        help_en="Per disabled member of a household on the minimum living allowance, a month",
        **PER_MONTH,
    ),
    ParamSpec(
        "care_grade_1",
        "money",
        "重度残疾人护理补贴：一级",
        "Care subsidy, grade 1",
        Decimal(0),
        help="一级残疾人每月",
        help_en="Per grade 1 disabled person and month",
        **PER_MONTH,
    ),
    ParamSpec(
        "care_grade_2",
        "money",
        "重度残疾人护理补贴：二级",
        "Care subsidy, grade 2",
        Decimal(0),
        help="二级残疾人每月",
        help_en="Per grade 2 disabled person and month",
        **PER_MONTH,
    ),
)

PROCEDURE = Procedure(
    applies_at="hukou_township",
    applies_zh="户籍所在地乡镇（街道），凭残疾人证",
    applies_en="The township of the hukou, with the disability certificate",
    steps=(
        ProcedureStep("township", "乡镇受理申请", "Township accepts the application", None),
        ProcedureStep("federation", "残联审核（残疾等级）", "Disabled persons' federation reviews", 10),
        ProcedureStep("county", "民政部门审批", "Civil affairs approves", 10),
    ),
    public_notice_days=None,
    approval="county",
    pays_from="month_of_application",
)

SHAPE = ProgrammeShape(
    code="disability",
    name_zh="困难残疾人生活补贴和重度残疾人护理补贴",
    name_en="Disability living and care subsidies",
    kind="categorical_cash",
    unit="person",
    payment="monthly",
    specs=SPECS,
    procedure=PROCEDURE,
    source="国发〔2015〕52号",
    pack=(
        {
            "effective_from": "2016-01-01",
            "note": "生活补贴50元、护理补贴一级100元二级50元（演示）",
            "values": {"living_subsidy": "50.00", "care_grade_1": "100.00", "care_grade_2": "50.00"},
        },
    ),
)
