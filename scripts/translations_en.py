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

EN.update({'保障对象': 'Recipients', '乡镇受理窗口': 'Township window', '村（社区）代为申请': "Village cadre on the family's behalf", '12349热线': '12349 hotline', '申请人': 'Applicant', '申请项目': 'Programmes applied for', '受理渠道': 'Channel', '受理日期': 'Received on', '已交材料': 'Materials handed in', '经办人员或村委会成员近亲属': 'Relative of a caseworker or village committee member', '亲属关系说明': 'Relationship', '申请事由': 'Reason for applying', '缺少的材料': 'Missing materials', '教育部门': 'Education', '住房城乡建设部门': 'Housing', '卫生健康/医保部门': 'Health / medical insurance', '人力资源社会保障部门': 'Human resources and social security', '其他部门': 'Other department', '转办部门': 'Department', '需要办理的事项': 'What is needed', '转办日期': 'Referred on', '答复期限': 'Reply due', '答复日期': 'Answered on', '答复': 'Answer', '新申请': 'New application', '定期/动态复核': 'Review', '近亲属备案（单独登记）': 'Relative of staff (registered separately)', '有投诉举报': 'Complaint received', '已延期（45个工作日）': 'Extended (45 working days)', '本环节期限': 'Step due', '办结期限': 'Case due', '公示开始': 'Notice from', '公示结束': 'Notice until', '核定金额': 'Amount decided', '决定日期': 'Decided on', '不予批准理由': 'Reason for refusal', '发放起始月': 'Payment from', '入户日期': 'Visit date', '调查人员': 'Surveyors', '调查情况': 'Findings', '申请人签字确认': 'Confirmed by the applicant', '调查人员签字确认': 'Confirmed by the surveyors', '收到日期': 'Received on', '异议内容': 'Objection', '处理方式': 'Handled by', '重新调查': 'Re-survey', '民主评议': 'Democratic appraisal', '评议日期': 'Appraisal date', '参会人数': 'Attendance', '参会人员': 'Attendees', '评议结果：同意': 'Appraisal in favour', '评议记录': 'Minutes', '入户核查日期': 'Home visit date', '核查情况': 'Findings', '家庭经济状况核对授权书（全体成员签字）': 'Verification authorisation (signed by every member)', '承诺书': 'Truthfulness pledge', '身份证/户口簿复印件': 'Copies of ID cards / hukou book', '收入证明': 'Income proof', '病历/诊断证明': 'Medical records', '核对报告': 'Verification report', '材料类型': 'Document type', '在保': 'Active', '暂停': 'Suspended', '渐退期': 'Gradual exit', '已终止': 'Ended', '收入稳定（每年复核）': 'Stable (yearly review)', '收入不稳定或有劳动能力（每半年复核）': 'Irregular income or able to work (review every 6 months)', '最后发放月': 'Last month paid', '月发放金额': 'Monthly amount', '复核类别': 'Review category', '下次复核': 'Next review', '渐退期至': 'Gradual exit until', '纳入保障': 'Enrolled', '增发': 'Increase', '减发': 'Decrease', '恢复': 'Resumed', '进入渐退期': 'Gradual exit', '终止': 'Terminated', '不变': 'Unchanged', '收入变化': 'Income changed', '成员死亡': 'A member died', '成员就业': 'A member found work', '下落不明/暂停': 'Whereabouts unknown (suspend)', '骗取保障金': 'Fraud', '变化类型': 'Kind of change', '报告日期': 'Reported on', '起始月': 'From month', '情况说明': 'Details', '应追回金额': 'Amount to recover', '核销': 'Written off', '已登记申请': 'Application recorded', '已出具一次性告知书': 'One-time notice of missing materials issued', '已登记材料': 'Materials recorded', '已登记部门答复': "Department's answer recorded", '已完成：%(move)s': 'Done: %(move)s', '已上传': 'Uploaded', '已登记变化：%(outcome)s': 'Change recorded: %(outcome)s', '已生成复核 %(r)s 件，渐退期满终止 %(g)s 户': '%(r)s reviews opened, %(g)s gradual exits ended', '年份': 'Year', '来源': 'Source', '载入时间': 'Loaded at', '法定节假日（休息）': 'Public holiday (off)', '调休上班': 'Make-up working day', '近亲属备案：': 'Relative of staff:', '材料': 'Materials', '登记补交材料': 'Record materials handed in', '出具一次性告知书（列明全部缺少材料）': 'Issue the one-time notice (every missing item)', '已一次性告知：': 'Notified at once of:', '转办事项': 'Referrals', '部门': 'Department', '事项': 'Need', '登记答复': 'Record answer', '一门受理：登记申请': 'One-door acceptance: new application', '申请项目（可多选）': 'Programmes (one or more)', '转办其他部门（协同办理）': 'Referrals to other departments', '需要办理的事项，如：子女教育资助': 'What is needed, e.g. education aid for a child', '近亲属备案': 'Relative of staff', '申请人是经办人员或村（居）委会成员的近亲属': 'The applicant is a close relative of a caseworker or committee member', '与哪位工作人员是何关系': 'Related to whom, and how', '登记申请': 'Record application', '申请书PDF': 'Application PDF', '调查表PDF': 'Survey PDF', '审批通知书': 'Approval notice', '不予批准通知书': 'Refusal notice', '公示名单PDF': 'Notice list PDF', '跨越未载入节假日安排的年份，请管理员载入': 'crosses a year with no holiday calendar: ask the administrator to load it', '已延期至45个工作日': 'extended to 45 working days', '批准前须县级入户核查': 'County home visit required before approval', '投诉举报': 'Complaint', '公示期': 'Public notice', '同意': 'Agree', '不同意': 'Do not agree', '元/月，自': 'yuan/month, from', '起发放': '', '可办理的操作': 'What you can do', '您现在没有可办理的操作。': 'Nothing for you to do on this case now.', '核定依据': 'How the amount was decided', '按现行政策测算（供参考）': 'Check under the parameters in force (for reference)', '测算过程': 'Steps', '文件': 'File', '上传（PDF/JPG/PNG，不超过10MB）': 'Upload (PDF/JPG/PNG, at most 10 MB)', '办理记录': 'Timeline', '入户调查': 'Survey', '异议': 'Objection', '县级入户核查': 'County home visit', '渐退期满终止、生成到期复核': 'End expired gradual exits, open due reviews', '运行动态管理（生成到期复核）': 'Run dynamic management (open due reviews)', '待我办理': 'For me', '即将到期（3个工作日内）': 'Due within 3 working days', '已超期': 'Overdue', '全部（按状态）': 'All (by state)', '标记': 'Flags', '期限跨越未载入节假日安排的年份': 'The deadline crosses a year with no holiday calendar', '投诉': 'Complaint', '延期': 'Extended', '没有案件': 'No cases', '按状态统计': 'By state', '超期案件': 'Overdue cases', '批准案件': 'Approving case', '金额与状态变化': 'Amount and status history', '变化': 'Change', '应追回款': 'Overpayments to recover', '登记变化情况': 'Record a change', '多发金额（骗保或迟报时）': 'Overpaid amount (fraud or late report)', '登记前请先在家庭信息中更新收入、成员等情况；系统按更新后的信息重新测算，确定增发、减发、暂停、渐退或终止。': "Update the household's incomes and members first; the system re-evaluates from them and decides increase, decrease, suspension, gradual exit or termination.", '复核': 'Reviews', '登记救助申请': 'New application', '案件': 'Cases', '申请': 'Application', '人参加': 'attended', '原金额': 'Old amount', '新金额': 'New amount', '原因': 'Reason', '操作人': 'By', '状态': 'Status'})

EN.update({'资金发放': 'Payments', '已导出银行文件': 'Bank file exported', '已对账': 'Reconciled', '月度发放': 'Monthly', '发放月份': 'Month', '发放失败': 'Failed', '抵扣追回款': 'Recovery offset', '冲销': 'Reversal', '登记为已死亡': 'Recorded as deceased', '同一人同时享受低保和特困': 'Same person in dibao and tekun', '金额较上月变化过大': 'Large change since last month', '同一对象重复纳入': 'Same recipient twice', '抵扣': 'Offset', '已生成银行文件': 'Bank file written', '回盘：成功 %(a)s 笔，失败 %(b)s 笔': 'Bank return: %(a)s paid, %(b)s failed', '已登记退回': 'Repayment recorded', '正在生成发放表……已处理保障对象': 'Generating the payroll… recipients processed:', '查看发放表': 'Open the payroll', '生成失败，未留下任何数据：': 'Generation failed and left nothing behind:', '发放统计': 'Payment figures', '累计月人均补助水平': 'Cumulative monthly subsidy per person', '项目/城乡': 'Programme / urban-rural', '月人均（元）': 'Per person per month (yuan)', '笔数': 'Lines', '台账': 'Ledger', '明细': 'Lines', '银行文件': 'Bank file', '三者不一致，请勿审批，联系系统管理员': 'They disagree: do not approve; call the administrator', '复核无误': 'Mark as checked', '有未处理的异常': 'Anomalies are open', '审批': 'Approve', '须由另一名财务人员审批（生成人不能审批）': 'Another finance officer must approve (not the one who generated it)', '导出银行文件 CSV': 'Export bank file (CSV)', '回盘文件': 'Return file', '导入银行回盘': 'Import bank return', '作废原因': 'Reason for voiding', '作废（全部冲销）': 'Void (reverse everything)', '回盘': 'Return', '异常': 'Anomalies', '未处理': 'open', '接受并说明': 'Accept with reason', '无异常': 'No anomalies', '发放明细': 'Lines', '流水号': 'Ref', '补发（银行退回的）': 'Supplementary (returned by the bank)', '生成发放表': 'Generate payroll', '骗保': 'Fraud', '退回金额': 'Amount repaid', '登记退回': 'Record repayment', '未追回的款项在以后每月发放时按不超过当月应发金额30%%的比例自动抵扣。': 'What is not yet recovered is withheld from later payments, at most 30% of each.', '追回款': 'Recoveries', '生成': 'Generated by', '月份': 'Month', '本月': 'This month', '补发': 'Arrears', '实发': 'Paid', '户名': 'Account holder', '区划': 'Area', '笔': 'lines', '成功': 'paid', '失败': 'failed', '应追回': 'To recover', '已追回': 'Recovered', '说明': 'Note', '乡镇': 'Township', '城乡': 'Urban/rural', '户次': 'Households', '人月': 'Person-months', '导出 Excel': 'Export Excel', '待发放': 'Pending', '已到账': 'Paid', '已复核': 'Checked', '已审批': 'Approved', '已作废': 'Voided'})

EN.update({"终止保障公示名单PDF": "Termination notice list (PDF)", "终止公示": "Termination notice",
           "终止公示开始": "Termination notice from", "终止公示结束": "Termination notice until"})
EN["台账 = 明细 = 银行文件，核对一致（已扣除银行退回的笔数）"] = \
    "Ledger = lines = bank file, checked (returned lines excluded)"
EN.update({"模拟影响": "What-if", "排队中": "Queued", "进行中": "Running", "类型": "Kind", "参数": "Parameters",
           "已处理": "Done", "总数": "Total", "结果": "Result", "错误": "Error", "执行次数": "Attempts",
           "执行进程": "Worker", "提交时间": "Queued at", "开始时间": "Started at", "结束时间": "Ended at",
           "已排队，等待后台进程执行": "Queued, waiting for the background worker",
           "执行中断（后台进程已停止），未留下任何数据；后台进程运行时会自动重新执行":
               "Interrupted (the background worker stopped); nothing was left half-done. It is run again "
               "automatically when a worker runs",
           "执行中断（后台进程已停止），未留下任何数据；已达最多执行次数，将记为失败":
               "Interrupted (the background worker stopped); nothing was left half-done. It has been started as "
               "often as allowed and will be recorded as failed",
           "正在执行……已处理": "Running… done:", "（第 %(n)s 次执行，上次中断）": "(attempt %(n)s; the last one was interrupted)",
           "查看结果": "Open the result", "失败，未留下任何数据：": "Failed, nothing was left half-done:",
           "账号问题": "Account problem"})
EN.update({"银行文件（导出时核对）": "Bank file (checked at export)", "已作废，全部冲销": "Voided: everything reversed",
           "台账 = 明细，核对一致；银行文件在导出时核对": "Ledger = lines, checked; the bank file is checked when exported",
           "核对于 %(at)s": "checked at %(at)s", "台账合计": "Ledger total", "明细合计": "Lines total",
           "银行文件合计": "Bank file total", "核对时间": "Totals checked at"})

# Scope, payroll parts and audit event names (issue 10)
EN.update({
    "这是上级编制的发放表，这里只显示%(area)s的部分。":
        "This payroll was made by a higher level; only the part of %(area)s is shown here.",
    "本辖区笔数": "Lines in your area", "本辖区金额": "Amount in your area", "银行退回笔数": "Lines returned by the bank",
    "（本辖区部分）": "(your area's part)",
    "登记家庭": "Register household", "修改家庭信息": "Change household", "增加家庭成员": "Add member",
    "修改成员信息": "Change member", "成员迁入其他家庭": "Member moved to another household",
    "成员离开家庭": "Member left the household", "批量导入家庭": "Bulk import of households",
    "重算批量测算数据": "Recompute the batch evaluation facts", "登记收入": "Add income", "修改收入": "Change income",
    "删除收入": "Delete income", "登记刚性支出": "Add rigid expenditure", "修改刚性支出": "Change rigid expenditure",
    "删除刚性支出": "Delete rigid expenditure", "登记金融资产": "Add financial asset",
    "修改金融资产": "Change financial asset", "删除金融资产": "Delete financial asset", "登记车辆": "Add vehicle",
    "修改车辆": "Change vehicle", "删除车辆": "Delete vehicle", "登记房产": "Add home", "修改房产": "Change home",
    "删除房产": "Delete home", "登记经营主体身份": "Add business role", "修改经营主体身份": "Change business role",
    "删除经营主体身份": "Delete business role", "登记赡养人": "Add supporter", "修改赡养人": "Change supporter",
    "删除赡养人": "Delete supporter", "创建工作人员账号": "Create staff account", "启用账号": "Activate account",
    "停用账号": "Deactivate account", "创建API令牌": "Create API token", "吊销API令牌": "Revoke API token",
    "导入行政区划": "Import areas", "载入节假日安排": "Load the holiday calendar", "载入政策参数包": "Load policy pack",
    "起草参数版本": "Draft parameter version", "批准参数版本": "Approve parameter version",
    "撤回参数版本": "Withdraw parameter version", "批量测算": "Batch evaluation",
    "模拟测算（草稿标准）": "Simulation (draft standard)", "生成演示数据": "Generate demo data",
    "完整身份证号": "Full ID number", "完整银行账号": "Full bank account",
    "完整身份证号和银行账号": "Full ID numbers and bank accounts", "案件材料": "Case documents", "查看": "View",
    "导出": "Export", "生成银行文件": "Bank file", "查看完整身份证号": "Viewed a full ID number",
    "查看完整银行账号": "Viewed a full bank account", "导出完整身份证号": "Exported full ID numbers",
    "导出完整身份证号和银行账号": "Exported full ID numbers and bank accounts",
    "导出完整银行账号": "Exported full bank accounts", "查看案件材料": "Opened a case document",
    "银行文件含完整身份证号": "Bank file with full ID numbers",
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
