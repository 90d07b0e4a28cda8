"""English for the coordinator's work of 2026-12-02 (sixth session): the other programmes in the indicator catalogue."""

EN = {
    "高龄津贴": "Old-age allowance",
    "孤儿和事实无人抚养儿童保障": "Orphans and de facto unsupported children",
    "残疾人两项补贴": "Disability subsidies",
    "优抚对象定期抚恤补助": "Veterans' periodic payments",
    "各项目资金支出（按月）": "Money paid by programme (by month)",
    "合计（元）": "Total (yuan)",
}
