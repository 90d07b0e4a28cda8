"""Medical assistance (医疗救助): parameter schema, procedure and demo-pack versions (domain.md §4). The rules
are ``doudi/programmes/rules/medical.py``."""

from __future__ import annotations

from decimal import Decimal

from doudi.programmes.spec import RATIO, YEAR, ParamSpec, Procedure, ProcedureStep, ProgrammeShape

GROUPS = (
    ("tekun", "特困人员", "extreme poverty persons"),
    ("dibao", "低保对象", "dibao members"),
    ("edge", "低保边缘家庭", "edge families"),
)


def _group_specs(group: str, zh: str, en: str) -> tuple[ParamSpec, ...]:
    return (
        ParamSpec(
            f"ratio_{group}",
            "ratio",
            f"救助比例：{zh}",
            f"Ratio: {en}",
            help=f"{zh}政策范围内自付费用扣除起付线后的救助比例",
            help_en=f"Share of the in-scope out-of-pocket cost above the deductible paid for {en}",
            **RATIO,
        ),
        ParamSpec(
            f"deductible_{group}",
            "money",
            f"年度起付线：{zh}",
            f"Deductible per year: {en}",
            Decimal(0),
            help="每人每年的起付线，本年度已用部分不再扣除",
            help_en="Per person and calendar year; the part used by earlier claims is not deducted again",
            **YEAR,
        ),
        ParamSpec(
            f"cap_general_{group}",
            "money",
            f"年度救助限额：{zh}",
            f"Annual cap: {en}",
            Decimal(0),
            help="每人每年累计救助的上限",
            help_en="The most assistance per person and calendar year",
            **YEAR,
        ),
        ParamSpec(
            f"cap_serious_{group}",
            "money",
            f"重特大疾病年度限额：{zh}",
            f"Annual cap, listed serious diseases: {en}",
            Decimal(0),
            help="属于规定重特大疾病的，以此限额代替一般限额",
            help_en="Replaces the general cap when the claim is for a listed serious disease",
            **YEAR,
        ),
    )


SPECS = (
    *(spec for group in GROUPS for spec in _group_specs(*group)),
    ParamSpec(
        "premium_tekun_full",
        "bool",
        "特困人员参保全额资助",
        "Tekun residents' insurance premium paid in full",
        help="特困人员参加城乡居民医保的个人缴费全额资助",
        help_en="The residents' medical insurance premium of extreme poverty persons is paid in full",
    ),
    ParamSpec(
        "premium_individual",
        "money",
        "城乡居民医保个人缴费标准",
        "Residents' medical insurance premium",
        Decimal(0),
        help="当年城乡居民基本医疗保险每人个人缴费额；特困人员全额资助即资助此数",
        help_en="This year's individual premium of the residents' basic medical insurance (what paying in full pays)",
        **YEAR,
    ),
    ParamSpec(
        "premium_dibao",
        "money",
        "低保对象参保定额资助",
        "Dibao premium subsidy",
        Decimal(0),
        help="低保对象参加城乡居民医保每人每年的定额资助",
        help_en="Fixed subsidy per dibao member and year towards the residents' medical insurance premium",
        **YEAR,
    ),
)

PROCEDURE = Procedure(
    applies_at="hospital",
    applies_zh="定点医院“一站式”结算（或医保部门结算文件）",
    applies_en="One-stop settlement at the hospital (or the insurer's settlement file)",
    steps=(
        ProcedureStep("hospital", "出院一站式结算，导入结算记录", "Settlement at discharge, imported", None),
        ProcedureStep("county", "县民政局核算救助金额并审批", "The county computes and approves the assistance", 10),
    ),
    public_notice_days=None,
    approval="county",
    pays_from="once",
)

SHAPE = ProgrammeShape(
    code="medical",
    name_zh="医疗救助",
    name_en="Medical assistance",
    kind="reimbursement",
    unit="person",
    payment="once",
    specs=SPECS,
    procedure=PROCEDURE,
    event="claim",
    source="《社会救助暂行办法》第28–31条；国办发〔2021〕42号",
    pack=(
        {
            "effective_from": "2015-01-01",
            "note": "医疗救助（工作总结：年度限额8000元；其余为演示值）",
            "values": {
                "ratio_tekun": "1",
                "deductible_tekun": "0.00",
                "cap_general_tekun": "8000.00",
                "cap_serious_tekun": "30000.00",
                "ratio_dibao": "0.70",
                "deductible_dibao": "0.00",
                "cap_general_dibao": "8000.00",
                "cap_serious_dibao": "30000.00",
                "ratio_edge": "0.60",
                "deductible_edge": "1500.00",
                "cap_general_edge": "8000.00",
                "cap_serious_edge": "30000.00",
                "premium_tekun_full": True,
                "premium_individual": "400.00",
                "premium_dibao": "90.00",
            },
        },
    ),
)
