"""English for the children's allowance pages (issue 15, children): parents' situations, study, reviews, the list."""

EN = {
    "孤儿保障": "Children's allowance",
    "已登记父母情况": "Parent's situation recorded",
    "已登记情形结束": "End of the situation recorded",
    "已登记在读证明": "Proof of study recorded",
    "已登记就读结束": "End of study recorded",
    "已决定停发，自 %(m)s 起不再发放": "Decided to stop: not paid from %(m)s",
    "已决定继续保障": "Decided to continue",
    "已检查，新立复核 %(n)s 件": "Checked: %(n)s new reviews",
    "登记儿童父母情况": "Record a child's parent's situation",
    "登记儿童父母情形结束": "Record the end of a child's parent's situation",
    "登记在校就读证明": "Record proof of full-time study",
    "登记就读结束": "Record the end of study",
    "儿童保障复核立案": "Children's allowance review raised",
    "儿童保障复核检查": "Children's allowance reviews check",
    "儿童保障复核决定": "Children's allowance review decided",
    "父亲": "Father",
    "母亲": "Mother",
    "重度残疾（一二级）": "Severely disabled (grade 1–2)",
    "服刑在押": "In prison",
    "失联": "Out of contact",
    "情形": "Situation",
    "起始日期": "Since",
    "结束原因": "Reason ended",
    "父母情况": "Parents' situations",
    "学校": "School",
    "就读起始日期": "Study since",
    "就读结束日期": "Study ended on",
    "在读证明": "Proof of study",
    "在校就读证明": "Proof of full-time study",
    "登记结束": "Record the end",
    "至今": "to date",
    "如：刑满释放、恢复联系": "e.g. released, back in contact",
    "尚未登记父母情况": "No parent's situation recorded",
    "在读": "Studying",
    "没有在读证明": "No proof of study",
    "儿童": "Child",
    "立案日期": "Raised on",
    "复核原因": "Reasons for the review",
    "孤儿和事实无人抚养儿童：父母情况": "Orphans and de facto unsupported children: parents' situations",
    "正在发放：每月 %(a)s 元，自 %(m)s 起；下次复核 %(d)s": "Paid: %(a)s a month from %(m)s; next review %(d)s",
    "复核中": "Under review",
    "每位父母同一时间只有一项情形；情形结束（刑满释放、找到、病愈、不再重度残疾）须登记结束日期，正在发放的儿童将自动立案复核": (
        "One situation per parent at a time; when it ends (released, found, recovered, no longer severely disabled) "
        "record the date it ended: a child being paid gets a review raised automatically"
    ),
    "登记父母情形": "Record a parent's situation",
    "失联的，填最后一次联系的日期；满6个月才认定": (
        "Out of contact: the date of the last contact; it counts after 6 months"
    ),
    "如：死亡证明编号、法院宣告失踪判决书、残疾证号、服刑通知书": (
        "e.g. death certificate number, court declaration of missing, disability certificate, prison notice"
    ),
    "按登记情况测算（今日）": "The rules on the recorded facts (today)",
    "符合条件：每月 %(a)s 元": "Qualifies: %(a)s a month",
    "在儿童福利机构养育": "Raised in a child welfare institution",
    "核定并自 %(m)s 起发放": "Grant, paid from %(m)s",
    "孤儿和事实无人抚养儿童": "Orphans and de facto unsupported children",
    "孤儿和事实无人抚养儿童基本生活费": "Allowance for orphans and de facto unsupported children",
    "检查到期复核（年满18周岁、就读结束）": "Check for reviews due (18th birthdays, study ended)",
    "汇总": "Summary",
    "正在发放": "Being paid",
    "孤儿": "Orphans",
    "事实无人抚养儿童": "De facto unsupported children",
    "每月合计（元）": "Monthly total (yuan)",
    "待复核": "Reviews open",
    "即将年满18周岁": "Turning 18 soon",
    "未来4个月内；没有全日制在读证明的，满18周岁后停发": (
        "Within 4 months; without proof of full-time study the allowance stops at 18"
    ),
    "年满18周岁": "Turns 18",
    "在校就读": "Full-time study",
    "有在读证明": "Proof of study on file",
    "没有": "None",
    "养育方式": "Care",
    "每月金额（元）": "Monthly amount (yuan)",
    "按登记情况已不符合，待复核": "No longer qualifies on the records: review due",
    "机构养育": "In an institution",
    "散居": "In the community",
    "本辖区没有正在发放的儿童": "No child is paid in this area",
    "儿童保障复核": "Children's allowance review",
    "现每月 %(a)s 元，自 %(m)s 起发放": "Now %(a)s a month, paid from %(m)s",
    "发放至 %(m)s": "paid to %(m)s",
    "登记的父母情况和就读情况": "Recorded parents' situations and study",
    "登记或更正父母情况": "Record or correct the parents' situations",
    "仍符合条件：每月 %(a)s 元": "Still qualifies: %(a)s a month",
    "已不符合条件": "No longer qualifies",
    "复核决定": "Review decision",
    "继续保障": "Continue",
    "停发（自 %(m)s 起）": "Stop (from %(m)s)",
    "复核意见": "Review opinion",
    "作出决定": "Decide",
    "父母情况、在校就读和测算": "Parents' situations, study and the rules",
    "父母死亡、失踪、重度残疾、重病、服刑、强制隔离戒毒或失联的儿童，按登记的情形和日期认定": (
        "Children whose parents are dead, missing, severely disabled, seriously ill, in prison, in compulsory "
        "rehabilitation or out of contact: decided on the situations recorded and their dates"
    ),
    "孤儿和事实无人抚养儿童复核": "Reviews of orphans' and de facto unsupported children's allowance",
    "父母情况变化、年满18周岁或就读结束时自动立案；复核决定继续保障或自下月起停发": (
        "Raised automatically when a parent's situation changes, at 18 or when study ends; the review continues "
        "the allowance or stops it from the next month"
    ),
    "已导入：新增 %(a)s 人，变化 %(c)s 人，停发 %(s)s 人": "Imported: %(a)s new, %(c)s changed, %(s)s stopped",
    "儿童养育方式变化": "Child's care changed",
    "导入孤儿保障名册": "Import the children's allowance roster",
    "预览": "Preview",
    "新增": "New",
    "错误（改正后重新上传；有错误时不导入任何内容）": "Errors (correct them and upload again; with any error nothing is imported)",
    "行": "Row",
    "将要发生的变化": "What will change",
    "原来": "Before",
    "导入后": "After the import",
    "确认后以上变化一次全部生效（新增自下月起发放，养育方式变化和停发自下月起），并记入审计日志。": (
        "Confirming applies all of these at once (new children paid from next month, changes of care and stops "
        "from next month), recorded in the audit log."
    ),
    "确认导入": "Confirm the import",
    "重新上传": "Upload again",
    "上传填好的名册": "Upload the filled-in roster",
    "从孤儿保障页面导出名册，在「处理」列填写停发（并在「说明」写明理由），或修改「养育方式」；新增儿童另起一行，编号留空，填写完整身份证号（须已登记父母情况）。上传后先预览，确认后才生效。": (
        "Export the roster from the children's allowance page; choose stop in the handling column's drop-down "
        "(with the reason in the note) or change the care; a new child goes on a new row with no number and the full "
        "ID number (the parents' situations recorded first). The upload is previewed; nothing changes until you "
        "confirm."
    ),
    "名册文件（.xlsx）": "Roster file (.xlsx)",
    "上传并预览": "Upload and preview",
    "导入名册": "Import the roster",
    "导出名册，在「核实结果」列选择 属实、已迁出、已死亡 或 有疑问，并填写说明，然后上传：先预览变化和错误（指明行和列），确认后整份生效；有错误时整份不保存。": (
        "Export the roster, choose present, moved, died or disputed in the result column with a note, and upload "
        "it: the changes and errors (by row and column) are previewed, and confirming applies the whole file; with "
        "any error nothing is saved."
    ),
    "导入名册预览": "Roster import preview",
    "核实结果变化": "Results changed",
    "确认后按导入的名册一次全部确认，标为属实的人员进入本月发放，并记入审计日志。": (
        "Confirming confirms the roster as imported, all at once: people marked present are paid this month; "
        "recorded in the audit log."
    ),
    "返回名册": "Back to the roster",
    "返回名册，重新上传": "Back to the roster to upload again",
    "一次性 %(a)s 元（%(m)s发放）": "one-off %(a)s (paid %(m)s)",
    "待复核决定": "Awaiting the review decision",
    "按登记情况测算（%(m)s 起）": "The rules on the recorded facts (from %(m)s)",
}
