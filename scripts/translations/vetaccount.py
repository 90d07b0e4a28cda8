"""English for changing a veteran's own account (变更收款账户)."""

EN = {
    "变更收款账户": "Change the account",
    "本人更换银行卡等情形，凭本人申请和新卡复印件变更。此后生成的发放表付到新账户；草稿发放表随即改付，已复核或已审批的发放表仍按原账户，保存后会提示。": (
        "When the person has a new bank card or the like: change it on their request, with a copy of the new card. "
        "Payrolls generated from now on pay the new account; draft payrolls take it at once, checked or approved "
        "ones keep the old account, as you are told after saving."
    ),
    "新银行账号": "New account number",
    "变更原因": "Reason for the change",
    "变更账户": "Change the account",
    "变更优抚对象收款账户": "Change a veteran's account",
}
