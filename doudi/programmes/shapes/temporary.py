"""Temporary assistance (临时救助) and emergency assistance (救急难): parameter schema, procedure and demo-pack
versions (domain.md §5). The rules are ``doudi/programmes/rules/temporary.py``; they read dibao's standards."""

from __future__ import annotations

from decimal import Decimal

from doudi.programmes.spec import PER_MONTH, RATIO, ROUNDING, ParamSpec, Procedure, ProcedureStep, ProgrammeShape

M, R, N = "money", "ratio", "number"
TIMES = {"unit": "倍低保标准", "unit_en": "× the dibao standard"}

SPECS = (
    ParamSpec(
        "emergency_cap_multiple",
        N,
        "救助金额上限倍数",
        "Cap, multiple of the standard",
        Decimal(0),
        help="一次临时救助最多为当地月低保标准的这么多倍（急难型、支出型相同）",
        help_en="One payment of temporary assistance is at most this many months of the dibao standard",
        **TIMES,
    ),
    ParamSpec(
        "expenditure_line_urban",
        M,
        "支出型收入线（城市）",
        "Expenditure kind income line, urban",
        Decimal(0),
        positive=True,
        help="上年城镇居民人均可支配收入 ÷ 12；人均收入低于它的家庭可申请支出型救助",
        help_en="Last year's urban per-capita disposable income ÷ 12: households below it may get the expenditure kind",
        **PER_MONTH,
    ),
    ParamSpec(
        "expenditure_line_rural",
        M,
        "支出型收入线（农村）",
        "Expenditure kind income line, rural",
        Decimal(0),
        positive=True,
        help="上年农村居民人均可支配收入 ÷ 12",
        help_en="Last year's rural per-capita disposable income ÷ 12",
        **PER_MONTH,
    ),
    ParamSpec(
        "expenditure_ratio",
        R,
        "支出型救助比例",
        "Expenditure kind ratio",
        help="刚性支出扣除已报销部分后，按此比例救助",
        help_en="Share of the rigid expenses left after reimbursement that is paid",
        **RATIO,
    ),
    ParamSpec(
        "rounding",
        "choice",
        "支出型取整规则",
        "Expenditure kind rounding",
        choices=("yuan_half_up", "fen"),
        labels=ROUNDING,
        help="支出型救助金额的取整方式",
        help_en="How the expenditure kind's amount is rounded",
    ),
    ParamSpec(
        "township_limit_multiple",
        N,
        "乡镇审批权限",
        "Township approves up to",
        Decimal(0),
        help="救助金额不超过低保标准的这么多倍（含）由乡镇审批，超过的报县审批",
        help_en="Amounts up to this many months of the standard (included) are approved by the township; above, the county",
        **TIMES,
    ),
    ParamSpec(
        "fast_track_multiple",
        N,
        "先行救助上限",
        "Paid first up to",
        Decimal(0),
        help="急难型救助金额不超过低保标准的这么多倍时可先行救助、事后补办手续",
        help_en="An emergency amount up to this many months of the standard may be paid first and documented after",
        **TIMES,
    ),
    ParamSpec(
        "paperwork_working_days",
        "int",
        "先行救助补办手续时限",
        "Paperwork after paying first",
        1,
        30,
        unit="个工作日",
        unit_en="working days",
        help="先行救助后补齐记录、事由、金额和签字的时限",
        help_en="Working days to complete the record, reason, amount and signatures after paying first",
    ),
)

PROCEDURE = Procedure(
    applies_at="hardship_township",
    applies_zh="困难发生地乡镇（街道），或拨打12349热线",
    applies_en="The township where the hardship happened, or the 12349 hotline",
    steps=(
        ProcedureStep("hotline", "12349热线记录来电（求助人、困难、去向）", "12349 hotline records the call", None),
        ProcedureStep("township", "受理并核实（一门受理、协同办理）", "Township accepts and checks", 3),
        ProcedureStep("township", "乡镇审批（不超过2倍低保标准）", "Township approves (up to 2 × standard)", 3),
        ProcedureStep("county", "县级审批（超过2倍低保标准）", "County approves (above 2 × standard)", 5),
        ProcedureStep("township", "先行救助后补办手续", "Paperwork after paying first", 5),
    ),
    public_notice_days=None,
    total_working_days=10,
    approval="by_amount",
    pays_from="once",
    fast_track=True,
)

SHAPE = ProgrammeShape(
    code="temporary",
    name_zh="临时救助",
    name_en="Temporary assistance",
    kind="means_tested_cash",
    unit="household",
    payment="once",
    specs=SPECS,
    procedure=PROCEDURE,
    reads=("dibao",),
    event="hardship",
    source="《关于进一步加强和改进临时救助工作的意见》（民发〔2018〕23号）",
    pack=(
        {
            "effective_from": "2015-01-01",
            "note": "临时救助（演示）：10倍标准封顶，乡镇审批2倍以内",
            "values": {
                "emergency_cap_multiple": "10",
                "expenditure_line_urban": "2100.00",
                "expenditure_line_rural": "850.00",
                "expenditure_ratio": "0.50",
                "rounding": "yuan_half_up",
                "township_limit_multiple": "2",
                "fast_track_multiple": "2",
                "paperwork_working_days": 5,
            },
        },
    ),
)
