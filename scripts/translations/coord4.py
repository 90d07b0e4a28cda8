"""English for the coordinator's work of 2026-12-02 (third session): the enrolment list's filters and export."""

EN = {
    "姓名、身份证号（全号或后4位）": "Name, ID number (full or last 4)",
    "共 %(n)s 条；其中按月发放的每月合计 %(total)s 元": "%(n)s in all; those paid monthly receive %(total)s yuan a month together",
    "发放金额（元）": "Amount (yuan)",
    "导出保障对象名单": "Export the enrolment list",
    "救助": "Assistance",
    "导入医疗费用结算": "Import medical settlements",
    "政策": "Policy",
}
