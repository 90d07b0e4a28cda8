"""English for the programmes of issue 15 (benefits app: grants, the old-age allowance roster, funeral homes)."""

EN = {
    "核定救助并纳入发放": "Grant approved and put in payment",
    "生成高龄津贴名册": "Old-age allowance roster built",
    "登记殡仪馆": "Funeral home registered",
    "登记死亡（各救助项目同时停发或复核）": "Death recorded (every programme stopped or re-evaluated)",
    "殡仪馆名称": "Funeral home",
    "账户名": "Account holder",
}
