"""English for the old-age allowance rosters confirmed by the village, the children's reviews, veterans' payments
and the roster imports (issue 15, rosters)."""

EN = {
    "高龄津贴名册": "Old-age allowance roster",
    "村（社区）确认高龄津贴名册": "Village confirms the old-age allowance roster",
    "待核实": "Not checked yet",
    "属实，照常发放": "Present, paid as usual",
    "已迁出": "Moved away",
    "有疑问": "Disputed",
    "待村（社区）确认": "Awaiting the village",
    "村（社区）": "Village (community)",
    "名册月份": "Roster month",
    "确认时间": "Confirmed at",
    "本月金额": "Amount this month",
    "核实结果": "Result",
    "高龄津贴名册人员": "Person on the old-age allowance roster",
    "已生成%(month)s名册：发放%(paid)s人，新纳入%(added)s人，停发%(stopped)s人": (
        "Roster of %(month)s built: %(paid)s paid, %(added)s added, %(stopped)s stopped"
    ),
    "名册已确认，标为属实的人员进入本月发放": "Roster confirmed: the people marked present are paid this month",
    "已按导入的名册确认，标为属实的人员进入本月发放": (
        "Confirmed from the imported roster: the people marked present are paid this month"
    ),
    "各村（社区）名册": "Rosters of the villages",
    "导出名册（.xlsx）": "Export the roster (.xlsx)",
    "%(who)s 于 %(day)s 确认": "Confirmed by %(who)s on %(day)s",
    "逐人核实：在世且仍在本村（社区）的标「属实」，进入本月发放；已迁出、已死亡或有疑问的写明情况（迁往何处、死亡日期等），暂不发放，由乡镇核实处理。须全部核实后一次确认；已发放的人员不能再改。": (
        "Check each person: mark those alive and still living here as present, and they are paid this month; for "
        "those who moved, died or are in doubt, say what happened (where to, the date of death…) — they are not "
        "paid until the township settles it. Mark everyone, then confirm once; a person already paid cannot be "
        "changed."
    ),
    "编号": "No.",
    "本月金额（元）": "This month (yuan)",
    "（待核实）": "(not checked)",
    "本月名册没有人员": "Nobody on this month's roster",
    "共 %(n)s 人": ("%(n)s person in all", "%(n)s people in all"),
    "确认名册": "Confirm the roster",
    "用Excel确认": "Confirm with Excel",
    "导出名册，在「核实结果」列选择 属实、已迁出、已死亡 或 有疑问，并填写说明，然后上传。有错误时指明行和列，整份不保存。": (
        "Export the roster, choose present, moved, died or disputed in the result column (the file's own "
        "drop-down, in Chinese) with a note, and upload it. An error names the row and column, and nothing is saved."
    ),
    "填好的名册文件": "Filled-in roster",
    "上传并确认": "Upload and confirm",
    "选择月份": "Choose the month",
    "按户籍出生日期生成（或更新）本月名册？新满80周岁的纳入，死亡、迁出的停发；已确认的村如有新纳入人员须重新确认。": (
        "Build (or update) this month's roster from the registry's birth dates? New 80-year-olds are added, "
        "deaths and moves stop; a village that confirmed must confirm again if someone is added."
    ),
    "生成%(m)s名册": "Build the roster of %(m)s",
    "每月按户籍登记的出生日期生成，送各村（社区）核实确认后发放": (
        "Built each month from the registry's birth dates; paid once each village has confirmed it"
    ),
    "名册汇总": "Roster summary",
    "未确认的村（社区）": "Villages not confirmed",
    "确认属实、进入发放": "Confirmed present, paid",
    "暂不发放（未核实、迁出、死亡、有疑问）": "Held (not checked, moved, died, disputed)",
    "未确认的在前；未确认的村本月不发放，确认后下月补发": (
        "Not confirmed first; a village not confirmed is not paid this month, and is paid as arrears after it confirms"
    ),
    "金额（元）": "Amount (yuan)",
    "属实": "Present",
    "确认人": "Confirmed by",
    "本月尚未生成名册": "This month's roster is not built yet",
    "村（社区）报告的变化": "Changes the villages reported",
    "标为迁出、死亡或有疑问的人员暂不发放：请在家庭档案中登记死亡或迁出，或核实后由村里改为属实": (
        "People marked moved, died or disputed are not paid: record the death or the move in the registry, or "
        "have the village mark them present once checked"
    ),
    "待确认的高龄津贴名册": "Old-age rosters to confirm",
    "逐人核实后确认，确认前不发放": "Check each person, then confirm; nobody is paid before",
    # a roster import's preview cancelled (its kept file removed: doudi/benefits/previews.py)
    "取消导入": "Cancel the import",
    "已取消导入，未作任何更改": "Import cancelled: nothing was changed",
}
