"""Orphans and de facto unsupported children (孤儿、事实无人抚养儿童): parameter schema, procedure and demo-pack
versions (domain.md §5b). The rules are ``doudi/programmes/rules/children.py``."""

from __future__ import annotations

from decimal import Decimal

from doudi.programmes.spec import PER_MONTH, ParamSpec, Procedure, ProcedureStep, ProgrammeShape

SPECS = (
    ParamSpec(
        "allowance_scattered",
        "money",
        "基本生活费：散居",
        "Allowance, living in the community",
        Decimal(0),
        positive=True,
        help="散居孤儿和事实无人抚养儿童每人每月",
        help_en="Per child and month, living with relatives or in the community",
        **PER_MONTH,
    ),
    ParamSpec(
        "allowance_institution",
        "money",
        "基本生活费：机构养育",
        "Allowance, in a welfare institution",
        Decimal(0),
        positive=True,
        help="在儿童福利机构养育的每人每月",
        help_en="Per child and month, raised in a welfare institution",
        **PER_MONTH,
    ),
    ParamSpec(
        "lost_contact_months",
        "int",
        "失联认定月数",
        "Out of contact for",
        1,
        24,
        unit="个月",
        unit_en="months",
        help="父母失联满这么多个月才视为无法履行抚养义务",
        help_en="A parent out of contact this many months is taken as unable to support",
    ),
    ParamSpec(
        "adult_age",
        "int",
        "成年年龄",
        "Adult age",
        16,
        18,
        unit="周岁",
        unit_en="years",
        help="未满此年龄为儿童",
        help_en="Under this age a person is a child",
    ),
    ParamSpec(
        "study_until_age",
        "int",
        "在校就读保障至",
        "Full-time study until",
        18,
        25,
        unit="周岁",
        unit_en="years",
        help="年满18周岁仍在全日制就读的，发放至该生日前一个月",
        help_en="Past 18, in full-time study, paid until the month before this birthday",
    ),
)

PROCEDURE = Procedure(
    applies_at="hukou_township",
    applies_zh="儿童户籍所在地乡镇（街道）",
    applies_en="The township of the child's hukou",
    steps=(
        # the application's two steps are a case's states (doudi/benefits/children_applications.py)
        ProcedureStep("township", "乡镇受理、调查核实", "Township accepts and investigates", 15, state="accepted"),
        ProcedureStep("county", "县级审批", "County decision", 15, state="county_review"),
        ProcedureStep(
            "township", "父母情况变化或年满18周岁时复核", "Review when a parent's situation changes or at 18", 15
        ),
    ),
    public_notice_days=None,
    approval="county",
    pays_from="month_after_approval",
    own_case_pages=True,  # a child's application and review: doudi/benefits/children*.py
)

SHAPE = ProgrammeShape(
    code="children",
    name_zh="孤儿和事实无人抚养儿童基本生活保障",
    name_en="Orphans and de facto unsupported children",
    kind="categorical_cash",
    unit="person",
    payment="monthly",
    specs=SPECS,
    procedure=PROCEDURE,
    source="民发〔2019〕62号",
    pack=(
        {
            "effective_from": "2015-01-01",
            "note": "散居600元、机构1000元（演示）",
            "values": {
                "allowance_scattered": "600.00",
                "allowance_institution": "1000.00",
                "lost_contact_months": 6,
                "adult_age": 18,
                "study_until_age": 22,
            },
        },
    ),
)
