"""Basic funeral fee waiver (基本殡葬服务费用减免): parameter schema, procedure and demo-pack versions (domain.md
§5d). The rules are ``doudi/programmes/rules/funeral.py``; the waiver is paid to the funeral home."""

from __future__ import annotations

from decimal import Decimal

from doudi.programmes.spec import PER_DAY, YUAN, ParamSpec, Procedure, ProcedureStep, ProgrammeShape

SPECS = (
    ParamSpec(
        "cap_transport",
        "money",
        "遗体接运减免上限",
        "Transport cap",
        Decimal(0),
        help="按实际收费减免，不超过此数",
        help_en="The actual fee is waived up to this",
        **YUAN,
    ),
    ParamSpec(
        "cap_cold_storage_day",
        "money",
        "遗体冷藏每天减免上限",
        "Cold storage cap per day",
        Decimal(0),
        help="按每天实际收费减免，每天不超过此数",
        help_en="The fee per day is waived up to this",
        **PER_DAY,
    ),
    ParamSpec(
        "cold_storage_days",
        "int",
        "遗体冷藏减免天数",
        "Cold storage days waived",
        0,
        30,
        unit="天",
        unit_en="days",
        help="最多减免这么多天的冷藏费",
        help_en="The fee of at most this many days is waived",
    ),
    ParamSpec(
        "cap_cremation",
        "money",
        "遗体火化减免上限",
        "Cremation cap",
        Decimal(0),
        help="按实际收费减免，不超过此数",
        help_en="The actual fee is waived up to this",
        **YUAN,
    ),
    ParamSpec(
        "cap_urn",
        "money",
        "基本骨灰盒减免上限",
        "Basic urn cap",
        Decimal(0),
        help="按实际收费减免，不超过此数",
        help_en="The actual fee is waived up to this",
        **YUAN,
    ),
    ParamSpec(
        "cap_ash_storage",
        "money",
        "骨灰寄存（首年）减免上限",
        "Ash storage (first year) cap",
        Decimal(0),
        help="首年寄存费按实际收费减免，不超过此数",
        help_en="The first year's fee is waived up to this",
        **YUAN,
    ),
)

PROCEDURE = Procedure(
    applies_at="funeral_home",
    applies_zh="殡仪馆按逝者逐项申报（家属无需垫付）",
    applies_en="The funeral home claims per deceased (the family pays nothing)",
    steps=(
        ProcedureStep(
            "funeral_home", "殡仪馆逐项申报基本殡葬服务费用", "The funeral home claims each basic service", None
        ),
        ProcedureStep(
            "county",
            "县民政局审核并拨付殡仪馆；死亡信息通知各救助项目",
            "County approves, pays the funeral home, records the death",
            10,
        ),
    ),
    public_notice_days=None,
    approval="county",
    pays_from="once",
)

SHAPE = ProgrammeShape(
    code="funeral",
    name_zh="基本殡葬服务费用减免",
    name_en="Basic funeral fee waiver",
    kind="in_kind",
    unit="person",
    payment="once",
    specs=SPECS,
    procedure=PROCEDURE,
    event="funeral",
    payee="funeral_home",
    source="县惠民殡葬政策（工作总结：城乡居民全免）",
    pack=(
        {
            "effective_from": "2015-01-01",
            "note": "基本殡葬服务费用减免（工作总结；各项上限为演示值）",
            "values": {
                "cap_transport": "300.00",
                "cap_cold_storage_day": "50.00",
                "cold_storage_days": 3,
                "cap_cremation": "400.00",
                "cap_urn": "200.00",
                "cap_ash_storage": "100.00",
            },
        },
    ),
)
