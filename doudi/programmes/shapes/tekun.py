"""Extreme poverty support (特困人员救助供养): its parameter schema, procedure and demo-pack versions
(domain.md §3). The rules are ``doudi/programmes/rules/tekun.py``; they read dibao's standards."""

from __future__ import annotations

from decimal import Decimal

from doudi.programmes.spec import (
    PER_MONTH,
    ROUNDING,
    M,
    ParamSpec,
    Procedure,
    ProcedureStep,
    ProgrammeShape,
)

SPECS = (
    ParamSpec(
        "basic_scattered",
        M,
        "分散供养基本生活标准",
        "Basic standard, scattered",
        Decimal(0),
        positive=True,
        help="分散供养特困人员每人每月的基本生活标准",
        help_en="Monthly basic living standard per person supported at home",
        **PER_MONTH,
    ),
    ParamSpec(
        "basic_centralised",
        M,
        "集中供养基本生活标准",
        "Basic standard, centralised",
        Decimal(0),
        positive=True,
        help="在敬老院等机构集中供养的特困人员每人每月的基本生活标准",
        help_en="Monthly basic living standard per person supported in an institution",
        **PER_MONTH,
    ),
    ParamSpec(
        "floor_dibao_ratio",
        "number",
        "不低于农村低保标准的倍数",
        "At least × rural dibao standard",
        Decimal(0),
        unit="倍",
        unit_en="×",
        help="基本生活标准不得低于农村低保标准的这么多倍",
        help_en="The basic standard is at least this multiple of the rural dibao standard",
    ),
    ParamSpec(
        "care_self",
        M,
        "照料标准：自理",
        "Care standard: self-care",
        Decimal(0),
        help="生活能自理的特困人员每月照料护理费",
        help_en="Monthly care allowance for a person who can look after themselves",
        **PER_MONTH,
    ),
    ParamSpec(
        "care_partial",
        M,
        "照料标准：部分失能",
        "Care standard: partly lost",
        Decimal(0),
        help="部分丧失生活自理能力的特困人员每月照料护理费",
        help_en="Monthly care allowance for a person who partly lost self-care",
        **PER_MONTH,
    ),
    ParamSpec(
        "care_full",
        M,
        "照料标准：完全失能",
        "Care standard: fully lost",
        Decimal(0),
        help="完全丧失生活自理能力的特困人员每月照料护理费",
        help_en="Monthly care allowance for a person who fully lost self-care",
        **PER_MONTH,
    ),
    ParamSpec(
        "rounding",
        "choice",
        "取整规则",
        "Rounding rule",
        choices=("yuan_half_up", "fen"),
        labels=ROUNDING,
        help="月供养金的取整方式",
        help_en="How the monthly amount is rounded",
    ),
)

# [T21 §10–§18]: apply at the hukou township; the township investigates within 15 working days; 7 days' notice;
# the county checks files and decides within 15.
PROCEDURE = Procedure(
    applies_at="hukou_township",
    applies_zh="户籍所在地乡镇（街道）",
    applies_en="The township of the applicant's hukou",
    steps=(
        ProcedureStep("township", "乡镇调查核实", "Township investigation", 15, "accepted"),
        ProcedureStep("township", "乡镇审核意见", "Township opinion", None, "verified"),
        ProcedureStep("village", "村（社区）公示", "Public notice in the village", None, "noticing"),
        ProcedureStep(
            "county", "县级审批（抽查不少于30%）", "County decision (checks at least 30%)", 15, "county_review"
        ),
    ),
    public_notice_days=7,
    total_working_days=30,
    approval="county",
    pays_from="month_after_approval",
    through_case=True,
)

CARE = {
    "care_self": "40.00",
    "care_partial": "150.00",
    "care_full": "400.00",
    "floor_dibao_ratio": "1.3",
    "rounding": "yuan_half_up",
}

SHAPE = ProgrammeShape(
    code="tekun",
    name_zh="特困人员救助供养",
    name_en="Extreme poverty support",
    kind="categorical_cash",
    unit="person",
    payment="monthly",
    specs=SPECS,
    procedure=PROCEDURE,
    reads=("dibao",),
    source="《特困人员认定办法》（2021）",
    recipient_zh="供养对象",
    recipient_en="the supported person",
    exclusive_with=("dibao",),
    support_modes=True,
    flags_from_enrolments=(("orphan_allowance", "children"),),
    pack=(
        {
            "effective_from": "2015-01-01",
            "note": "农村五保标准 300 元（工作总结）",
            "values": {"basic_scattered": "300.00", "basic_centralised": "300.00", **CARE},
        },
        {
            "effective_from": "2016-01-01",
            "note": "分散 360、集中 460（工作总结）",
            "values": {"basic_scattered": "360.00", "basic_centralised": "460.00", **CARE},
        },
    ),
)
