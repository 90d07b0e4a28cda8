"""English for changing a funeral home (2026-12-02): its page, its link in the list, the message after saving and
the audit event."""

EN = {
    "修改殡仪馆": "Change the funeral home",
    "上级登记，不能修改": "Registered above your area: not yours to change",
    "返回殡仪馆列表": "Back to the funeral homes",
    "当前银行账号": "Current account",
    "新银行账号": "New account",
    "留空表示不修改账号": "Leave it empty to keep the account",
    "修改银行账号或账户名后，草稿状态发放表中付给该殡仪馆的明细随之改为新账户；已复核、已审批的发放表不随之修改（复核人、审批人已核对过原账户）：已复核的可作废后重新生成，已审批的仍按原账户发放，如银行退回，次月改付新账户；已导出银行文件的不作任何修改。": (
        "A new account or holder reaches the lines paying this funeral home in draft payrolls; checked and approved "
        "payrolls keep the old account (their checker and approver saw it): a checked payroll can be cancelled and "
        "generated again, an approved one pays the old account, and a payment the bank returns is paid again the "
        "month after to the new account; payrolls already exported to the bank are never changed."
    ),
    "付给该殡仪馆、尚未导出银行文件的发放明细：草稿 %(draft)s 笔（随之修改），已复核 %(checked)s 笔、已审批 %(approved)s 笔（不随之修改）。": (
        "Lines paying this funeral home not yet exported to the bank: %(draft)s in draft payrolls (changed with it), "
        "%(checked)s in checked and %(approved)s in approved payrolls (not changed)."
    ),
    "已修改殡仪馆：%(name)s": "Funeral home changed: %(name)s",
    "修改殡仪馆名称或收款账户": "Funeral home's name or account changed",
}
