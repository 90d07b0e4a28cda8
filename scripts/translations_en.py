"""English translations of the interface, kept as a table so `make messages` can refill the .po file.

Run: .venv/bin/python scripts/translations_en.py  (needs polib: pip install polib)
"""
EN = {
    "首页": "Home", "家庭查询": "Household search", "登记家庭": "Register household", "批量导入": "Bulk import",
    "行政区划": "Areas", "审计日志": "Audit trail", "工作人员": "Staff", "姓名": "Name", "角色": "Role",
    "所属区划": "Area", "电话": "Phone", "村/社区干部": "Village/community cadre", "乡镇经办人": "Township caseworker",
    "乡镇审核人": "Township reviewer", "县级审核人": "County reviewer", "县级审批人": "County approver",
    "财务人员": "Finance officer", "审计/纪检（只读）": "Auditor (read-only)", "系统管理员": "Bureau administrator",
    "用户名": "Username", "初始密码": "Initial password", "已创建账号": "Account created",
    "不能停用该账号": "This account cannot be deactivated", "省": "Province", "市": "Prefecture", "县": "County",
    "乡镇/街道": "Township/street", "村/社区": "Village/community", "城镇": "Urban", "农村": "Rural",
    "区划代码": "Division code", "名称": "Name", "层级": "Level", "城乡类型": "Urban/rural", "上级区划": "Parent area",
    "文件须为UTF-8编码的CSV / The file must be UTF-8 CSV": "The file must be a UTF-8 CSV / 文件须为UTF-8编码的CSV",
    "已导入%(n)s个区划": "Imported %(n)s areas", "变更": "Change", "查看敏感信息": "Full-number view",
    "批量作业": "Batch job", "时间": "Time", "类别": "Kind", "操作人": "Actor", "操作": "Action",
    "对象类型": "Target type", "对象编号": "Target id", "对象": "Target", "原值": "Old value", "新值": "New value",
    "请求编号": "Request id", "批次": "Batch", "男": "Male", "女": "Female", "户主": "Head", "配偶": "Spouse",
    "子女": "Child", "父母": "Parent", "孙子女": "Grandchild", "兄弟姐妹": "Sibling", "其他": "Other",
    "有劳动能力": "Able to work", "部分丧失劳动能力": "Partly able to work", "无劳动能力": "Unable to work",
    "就业": "Employed", "个体经营": "Self-employed", "务农": "Farming", "失业": "Unemployed", "退休": "Retired",
    "非劳动力": "Not in labour force", "肢体残疾": "Physical", "视力残疾": "Visual", "听力残疾": "Hearing",
    "言语残疾": "Speech", "智力残疾": "Intellectual", "精神残疾": "Mental", "多重残疾": "Multiple",
    "工资性收入": "Wages", "经营净收入": "Net business income", "财产净收入": "Net property income",
    "养老金/离退休金": "Pension", "失业保险金": "Unemployment benefit", "赔偿金": "Compensation",
    "赡养/抚养/扶养费（收到）": "Support received", "赠与": "Gifts", "支付的赡养/抚养/扶养费": "Support paid",
    "个人缴纳的社会保险费": "Social insurance contributions", "个人所得税": "Personal income tax",
    "优待抚恤金": "Veterans' preferential payment", "计划生育奖励与扶助金": "Family-planning award",
    "奖学金": "Scholarship", "见义勇为奖励": "Good-Samaritan award", "社会救助金": "Social assistance payment",
    "城乡居民基本养老金基础养老金": "Residents' basic pension (basic portion)", "计入": "Counted",
    "扣减": "Subtracted", "不计入": "Not counted", "60岁以上赡养人": "Supporter aged 60+",
    "重病医疗": "Serious illness", "残疾康复": "Disability", "全日制教育": "Full-time education", "存款": "Deposits",
    "有价证券": "Securities", "基金": "Funds", "商业保险": "Commercial insurance", "债权": "Money owed to the family",
    "互联网金融资产": "Online finance", "主要生计工具": "Main livelihood tool", "残疾人代步车": "Disability vehicle",
    "法定代表人": "Legal representative", "股东": "Shareholder", "高级管理人员": "Executive",
    "个体工商户/家庭作坊": "Family workshop", "户籍所在村/社区": "Hukou village/community", "户籍类型": "Hukou type",
    "居住地址": "Residence address", "联系电话": "Phone", "开户银行": "Bank", "银行账号": "Bank account",
    "账户户名": "Account holder", "身份证号": "ID number",
    "有身份证号时，性别和出生日期由号码自动得出": "With an ID number, sex and birth date are taken from it",
    "与户主关系": "Relation to head", "性别": "Sex", "出生日期": "Birth date", "在校学生": "Student",
    "劳动能力": "Labour capacity", "就业状况": "Employment", "残疾类别": "Disability kind",
    "残疾等级": "Disability grade", "残疾证号": "Disability card no.", "认定重病": "Recognised serious illness",
    "诊断": "Diagnosis", "不能自主进食": "Cannot eat unaided", "不能自主穿衣": "Cannot dress unaided",
    "不能自主上下床": "Cannot get in/out of bed", "不能自主如厕": "Cannot use the toilet unaided",
    "不能室内行走": "Cannot walk indoors", "不能自主洗澡": "Cannot bathe unaided", "已死亡": "Deceased",
    "服刑": "In prison", "强制隔离戒毒": "Compulsory drug rehabilitation", "宣告失踪": "Declared missing",
    "出家3年以上": "Clergy away 3+ years", "基本信息": "Basic facts", "就学与就业": "Study and work",
    "残疾与疾病": "Disability and illness", "六项日常生活活动": "Six daily activities", "特殊状态": "Special status",
    "迁入家庭户编号": "Destination household no.", "在新家庭中与户主关系": "Relation to head in new household",
    "迁移日期": "Date of move", "原因": "Reason", "离开日期": "Date of leaving",
    "原因（如死亡、迁出本县）": "Reason (e.g. death, moved out of the county)", "户主姓名": "Head of household",
    "人数": "Members", "家庭": "Households", "人员": "Person", "加入日期": "Joined", "离开原因": "Reason for leaving",
    "成员": "Member", "备注": "Note", "收入类型": "Income kind", "月均金额": "Monthly amount",
    "赡养费来源": "Support from", "收入": "Incomes", "支出类型": "Expenditure kind", "刚性支出": "Rigid expenditure",
    "金融资产类型": "Financial asset kind", "金额": "Amount", "金融资产": "Financial assets", "号牌": "Plate",
    "估值": "Value", "用途": "Purpose", "车辆": "Vehicles", "房屋地址": "Address", "建筑面积（平方米）": "Floor area (m²)",
    "房屋": "Homes", "企业/字号名称": "Enterprise", "身份": "Role", "雇工人数": "Employees",
    "经营主体身份": "Business roles", "赡养/抚养/扶养人姓名": "Supporter's name", "关系": "Relation",
    "有赡养能力": "Able to support", "无能力原因": "Why unable", "赡养/抚养/扶养人": "Supporter",
    "已登记家庭 #%(id)s": "Registered household #%(id)s", "已保存": "Saved", "已添加成员": "Member added",
    "户编号不存在或不在您的管辖区域内 / No such household in your area":
        "No such household in your area / 户编号不存在或不在您的管辖区域内",
    "已迁移": "Moved", "迁移成员：%(name)s": "Move member: %(name)s", "已办理离户": "Membership ended",
    "成员离户：%(name)s": "Member leaves: %(name)s", "已删除": "Deleted", "已记录查看": "This view was logged",
    "登录失败次数过多，账号已暂时锁定，请稍后再试。": "Too many failed logins: the account is locked for a while.",
    "登录": "Log in", "连续多次输错密码后账号将被暂时锁定。": "After several wrong passwords the account is locked for a while.",
    "状态": "Status", "启用": "Active", "停用": "Deactivate", "新建账号": "New account", "创建": "Create",
    "API令牌": "API tokens",
    "调用 /api/v1 时在请求头中携带 Authorization: Bearer 令牌。令牌只显示一次。":
        "Send Authorization: Bearer <token> with calls to /api/v1. A token is shown only once.",
    "新令牌（请立即复制保存）：": "New token (copy it now):", "前缀": "Prefix", "创建时间": "Created",
    "最近使用": "Last used", "已作废": "Revoked", "作废": "Revoke", "生成令牌": "Create token",
    "从CSV导入": "Import from CSV",
    "列：code,name,level,kind,parent_code（12位统计用区划代码；level: county/township/village；kind: urban/rural）。有任何错误则全部不导入。":
        "Columns: code,name,level,kind,parent_code (12-digit statistical codes; level county/township/village; "
        "kind urban/rural). Any error and nothing is imported.",
    "导入": "Import", "上级": "Parent", "从": "From", "至": "To", "筛选": "Filter", "导出Excel": "Export to Excel",
    "没有符合条件的记录": "No matching events", "兜底 · 社会救助管理系统": "Doudi · social assistance",
    "跳到正文": "Skip to content", "社会救助管理系统": "Social assistance system", "主导航": "Main navigation",
    "退出": "Log out", "兜底 Doudi · 县民政局社会救助系统 · 查看完整身份证号和银行账号均记入审计日志":
        "Doudi · county civil affairs social assistance · every look at a full ID number or bank account is audited",
    "分页": "Pages", "上一页": "Previous", "第 %(n)s / %(total)s 页，共 %(rows)s 条": "Page %(n)s of %(total)s, %(rows)s rows",
    "下一页": "Next", "返回": "Back", "共 %(n)s 户": "%(n)s households", "导出Excel（脱敏）": "Export to Excel (masked)",
    "户编号": "Household no.", "没有找到家庭": "No households found", "成员 %(n)s": "Member %(n)s",
    "通常为户主": "usually the head", "（全户）": "(whole household)", "元/月": "yuan/month", "元": "yuan",
    "无赡养能力": "Unable to support", "添加": "Add", "修改": "Edit", "确定删除？": "Delete this?", "删除": "Delete",
    "无": "None", "%(name)s 工作台": "%(name)s workbench", "查询": "Search", "姓名、身份证号、手机号": "Name, ID number, phone",
    "查询家庭": "Find household", "在册人口": "People registered", "按乡镇（街道）": "By township (street)",
    "人口": "People", "城镇户": "Urban households", "农村户": "Rural households", "户": " household",
    "修改家庭信息": "Edit household", "添加成员": "Add member", "显示完整": "Show in full", "家庭成员": "Members",
    "残疾": "Disability", "重病": "Serious illness", "显示完整身份证号": "Show full ID number of", "显示": "Show",
    "在校生": "student", "级": "", "强制戒毒": "Rehabilitation", "失踪": "Missing", "出家": "Clergy away",
    "迁移": "Move", "离户": "Leave", "曾经的成员": "Former members", "户外赡养/抚养/扶养人": "Supporters outside the household",
    "变更历史": "History", "暂无": "Nothing yet", "保存": "Save", "取消": "Cancel", "家庭信息": "Household",
    "再添加一名成员": "Add another member", "保存登记": "Register", "姓名、身份证号（全号或后4位）、手机号":
        "Name, ID number (full or last 4), phone", "区划": "Area", "全部": "All",
    "批量导入家庭和成员": "Import households and members",
    "按模板填写：每名成员一行，同一户编号的行为同一户，家庭信息取该户第一行。全部行检查无误才会导入；有任何错误则一行也不导入，并给出逐行错误清单。":
        "Fill in the template: one row per member; rows with the same household no. form one household, whose "
        "details come from its first row. Every row is checked first: with any error nothing is imported and you "
        "get a row-by-row error list.",
    "下载导入模板（.xlsx）": "Download the template (.xlsx)", "文件（.xlsx 或 .csv）": "File (.xlsx or .csv)",
    "检查并导入": "Check and import", "已导入 %(h)s 户、%(p)s 人。": "Imported %(h)s households, %(p)s people.",
    "发现 %(n)s 处错误，未导入任何数据。请修改后重新上传。": "%(n)s errors found; nothing was imported. Fix them and upload again.",
    "下载错误清单（.xlsx）": "Download the error list (.xlsx)", "行号": "Row", "列": "Column", "错误说明": "Message",
    "修改成员": "Edit member", "身份证号留空表示不修改。": "Leave the ID number empty to keep it.",
}


EN.update({
    "救助项目与参数": "Programmes & parameters", "批量测算": "Batch evaluation", "家计调查现金救助": "Means-tested cash",
    "类别现金救助": "Categorical cash", "实物救助": "In kind", "费用报销": "Reimbursement", "以户为单位": "Household",
    "以人为单位": "Person", "中文名称": "Chinese name", "英文名称": "English name", "对象单位": "Unit", "草稿": "Draft",
    "已批准": "Approved", "已撤回": "Withdrawn", "适用区划": "Area", "生效日期": "Effective from",
    "说明/文件依据": "Note / legal basis", "评估日期": "Evaluation date", "救助项目": "Programme",
    "适用区划（县为默认，乡镇为覆盖）": "Area (county default, township override)", "参数值（JSON）": "Values (JSON)",
    "参数值须为JSON对象 / values must be a JSON object": "Values must be a JSON object / 参数值须为JSON对象",
    "已保存草稿，可先模拟再提交审批": "Draft saved: simulate it, then ask for approval", "每月": "monthly",
    "不符合条件": "Not eligible", "符合条件": "Eligible", "人均收入": "Per-capita income", "计入人数": "Counted members",
    "是否计入": "Counted", "不计入原因": "Why not counted", "分类施保": "Add-on", "救助测算": "Entitlement check",
    "打印": "Print", "最低生活保障": "Minimum living allowance", "特困人员救助供养": "Extreme poverty support",
    "测算日期": "Date", "重新测算": "Evaluate", "参数版本": "Parameter versions", "项目": "Programme", "起草": "Drafted by",
    "起草新参数版本": "Draft a new parameter version",
    "县级版本须填写全部参数；乡镇版本只填写需要覆盖的参数。草稿批准前不影响任何测算，可先模拟影响。":
        "A county version gives every parameter; a township version only those it overrides. A draft changes "
        "nothing until approved; simulate its effect first.",
    "保存草稿": "Save draft", "参数草稿影响模拟": "What-if simulation of draft", "查看草稿": "View draft",
    "符合条件户": "Eligible households", "保障人数": "People covered", "月资金（元）": "Monthly total (yuan)",
    "新增户/人": "Gain (households/people)", "退出户/人": "Lose (households/people)",
    "金额变化户/人": "Amount changes (households/people)", "现行月资金": "Budget now", "草稿月资金": "Budget under draft",
    "差额": "Difference", "合计": "Total", "对辖区全部家庭测算": "Evaluate every household in my area",
    "模拟草稿": "Draft simulated", "参数": "Parameter", "模拟日期": "Simulation date",
    "模拟影响（按乡镇）": "Simulate effect (by township)", "撤回草稿": "Withdraw draft", "模拟记录": "Simulations",
    "导出完整号码（记入审计）": "Export full numbers (audited)", "测算低保": "Check dibao", "测算特困": "Check tekun",
    "代码": "Code", "类型": "Kind", "值": "Value", "批准": "Approve", "自": "from", "说明": "Note",
    "共测算 %(n)s 户": "%(n)s households evaluated", "日期": "Date", "已批准": "Approved", "已撤回": "Withdrawn",
    "模拟影响": "Simulate",
})


if __name__ == "__main__":
    import sys
    from pathlib import Path

    import polib

    path = Path(__file__).resolve().parent.parent / "doudi/locale/en/LC_MESSAGES/django.po"
    po = polib.pofile(str(path))
    missing = []
    for entry in po:
        if entry.msgid in EN:
            entry.msgstr = EN[entry.msgid] or " "
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr:
            missing.append(entry.msgid)
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))
    if missing:
        print("untranslated:", *missing, sep="\n  ")
        sys.exit(1)
