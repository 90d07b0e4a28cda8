"""English for buttons whose Chinese is also a state's name (不予批准: "Refused" as a state, "Refuse" on the
button): the button's text has the context 按钮 ({% translate "…" context "按钮" %})."""

EN = {
    "按钮\x04不予批准": "Refuse",
    "按钮\x04不予救助": "Refuse",
    "按钮\x04不通过": "Reject",
    "按钮\x04导入银行回盘": "Import the bank's return",
    "按钮\x04已纠正": "Mark as corrected",
    "按钮\x04生成发放表": "Generate the payroll",
    "按钮\x04撤回申请": "Withdraw the application",
    "按钮\x04补办完成": "Mark the paperwork complete",
    "按钮\x04重新生成备用码": "Renew the recovery codes",
}
