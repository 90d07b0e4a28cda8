"""The demo county's policy pack (domain.md §2–3), as data. `doudi load_policy_pack` loads it — or a
county's own pack from a JSON file of the same shape — as approved parameter versions."""

from __future__ import annotations

DIBAO_COMMON = {
    "job_cost_ratio": "0.10",
    "job_cost_cap": "200.00",
    "support_not_counted_from": ["sibling", "supporter_60_plus"],
    "rigid_expenditure_deduction": True,
    "financial_asset_months": "24",
    "vehicle_livelihood_max": "30000.00",
    "home_area_per_member_max": "70",
    "floor_ratio": "0.10",
    "addon_age70_ratio": "0.10",
    "addon_disability_1_2_ratio": "0.20",
    "addon_serious_illness_ratio": "0.20",
    "rounding": "yuan_half_up",
    "single_person_edge_ratio": "1.5",
    "gradual_exit_months": 6,
}
TEKUN_CARE = {
    "care_self": "40.00",
    "care_partial": "150.00",
    "care_full": "400.00",
    "floor_dibao_ratio": "1.3",
    "rounding": "yuan_half_up",
}

DEMO_PACK = {
    "programmes": [
        {
            "code": "dibao",
            "name_zh": "最低生活保障",
            "name_en": "Minimum living allowance",
            "kind": "means_tested_cash",
            "unit": "household",
        },
        {
            "code": "tekun",
            "name_zh": "特困人员救助供养",
            "name_en": "Extreme poverty support",
            "kind": "categorical_cash",
            "unit": "person",
        },
    ],
    "versions": [
        {
            "programme": "dibao",
            "effective_from": "2015-01-01",
            "note": "2015年城乡低保标准 370/190（工作总结）",
            "values": {"standard_urban": "370.00", "standard_rural": "190.00", **DIBAO_COMMON},
        },
        {
            "programme": "dibao",
            "effective_from": "2016-01-01",
            "note": "2016年提标 400/230（演示）",
            "values": {"standard_urban": "400.00", "standard_rural": "230.00", **DIBAO_COMMON},
        },
        {
            "programme": "tekun",
            "effective_from": "2015-01-01",
            "note": "农村五保标准 300 元（工作总结）",
            "values": {"basic_scattered": "300.00", "basic_centralised": "300.00", **TEKUN_CARE},
        },
        {
            "programme": "tekun",
            "effective_from": "2016-01-01",
            "note": "分散 360、集中 460（工作总结）",
            "values": {"basic_scattered": "360.00", "basic_centralised": "460.00", **TEKUN_CARE},
        },
    ],
}
