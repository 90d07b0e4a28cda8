"""English for the medical assistance pages (issue 15, medical)."""

EN = {
    "医疗救助": "Medical assistance",
    "导入医疗费用结算文件": "Import a medical settlement file",
    "录入医疗费用结算": "Enter a medical settlement",
    "生成参保资助名册": "Build the premium subsidy roster",
    "特困人员": "Extreme poverty person",
    "低保对象": "Minimum living allowance member",
    "低保边缘家庭成员": "Edge family member",
    "不属于救助对象": "Not covered",
    "结算笔数": "Settlements",
    "给予救助笔数": "Settlements assisted",
    "救助金额合计": "Total assistance",
    "结算文件": "Settlement file",
    "结算单号": "Settlement number",
    "医疗机构": "Hospital",
    "入院日期": "Admission date",
    "出院（结算）日期": "Discharge (settlement) date",
    "医疗总费用": "Total cost",
    "医保报销": "Insurance paid",
    "政策范围内自付": "In-scope out-of-pocket",
    "重特大疾病": "Listed serious disease",
    "救助对象类别": "Group",
    "本年此前已救助": "Assisted earlier this year",
    "本年此前已用起付线": "Deductible used earlier this year",
    "本次扣除起付线": "Deductible used by this claim",
    "年度限额剩余": "Annual cap left",
    "医疗费用结算": "Medical settlement",
    "资助类别": "Subsidy group",
    "资助金额": "Subsidy",
    "参保资助": "Premium subsidy",
    "已导入 %(rows)s 笔结算，其中 %(paid)s 笔给予救助，合计 %(total)s 元": (
        "Imported %(rows)s settlements; %(paid)s assisted, %(total)s yuan in all"
    ),
    "已录入结算，救助金额 %(amount)s 元": "Settlement entered; assistance %(amount)s yuan",
    "已纳入 %(n)s 人，资助合计 %(total)s 元": "%(n)s people added; %(total)s yuan in subsidies",
    "%(year)s年度": "year %(year)s",
    "导入结算文件": "Import a settlement file",
    "录入一笔结算": "Enter one settlement",
    "参保资助名册": "Premium subsidy roster",
    "导出本年度明细（Excel）": "Export the year (Excel)",
    "政策范围内自付合计": "In-scope out-of-pocket, total",
    "医疗救助合计": "Medical assistance, total",
    "参保资助合计": "Premium subsidies, total",
    "结算记录": "Settlements",
    "出院日期": "Discharge date",
    "年度明细": "Annual statement",
    "导入的结算文件": "Imported settlement files",
    "导入时间": "Imported at",
    "导入人": "Imported by",
    "文件（CSV 或 Excel 格式）": "File (CSV or Excel)",
    "医院或医保部门的结算文件，每行一次住院结算。每一行都先检查（身份证号须为本辖区登记人员，结算单号不得重复导入），有任何错误则整个文件不导入，并列出行号和列；全部无误后逐笔按医疗救助政策核算（本年已用起付线和已救助金额按出院日期顺序累计），并纳入当月医疗救助发放。": (
        "The hospital's or the insurer's settlement file, one hospital stay a row. Every row is checked first (the ID"
        " number must be of a person registered in your area; a settlement number is never imported twice); any"
        " error refuses the whole file, listed by row and column. Then each claim is computed by the medical"
        " assistance rules (the deductible and assistance used this year carried forward in discharge-date order)"
        " and paid in this month's medical assistance payroll."
    ),
    "文件的列": "The file's columns",
    "列名": "Column",
    "也可写作": "Also written as",
    "格式": "Format",
    "录入一笔医疗费用结算": "Enter one medical settlement",
    "公民身份号码": "Resident ID number",
    "医疗总费用（元）": "Total cost (yuan)",
    "医保报销（元）": "Insurance paid (yuan)",
    "政策范围内自付（元）": "In-scope out-of-pocket (yuan)",
    "属于规定的重特大疾病": "A listed serious disease",
    "核算并纳入发放": "Compute and pay",
    "城乡居民医保参保资助名册": "Residents' medical insurance premium subsidies",
    "特困人员个人缴费全额资助，低保对象按定额资助；名册按生成当日在保的特困人员和低保家庭现有成员生成，每人每年资助一次，当月随医疗救助发放。重新生成只增加新纳入的人员。": (
        "Extreme poverty persons have their premium paid in full, members of minimum living allowance households a fixed subsidy. The roster is built"
        " from those enrolled on the day, once per person and year, and paid with this month's medical assistance."
        " Building it again adds only people enrolled since."
    ),
    "生成%(year)s年参保资助名册": "Build the %(year)s premium roster",
    "共 %(n)s 人，资助合计 %(total)s 元": "%(n)s people, %(total)s yuan in all",
    "%(year)s年度医疗救助明细": "Medical assistance statement %(year)s",
    "住院": "Hospital stay",
    "一次性发放": "One-off payment",
    "手工录入": "Entered by hand",
    "不予救助原因": "Why nothing was paid",
    "打印明细（PDF）": "Print the statement (PDF)",
    "扣除起付线": "Deductible",
    "本年度没有住院结算记录": "No hospital settlements this year",
    "本年度合计": "Year total",
    "导入残疾人证": "Import disability certificates",
    "残联审核残疾人证": "Federation's review of a disability certificate",
    "审批残疾人两项补贴": "Decision on the disability subsidies",
    "两项补贴随低保调整": "Disability subsidies follow the minimum living allowance",
    "待残联审核": "Awaiting the federation's review",
    "残联审核通过，待审批": "Passed by the federation, awaiting approval",
    "残联审核不通过": "Not passed by the federation",
    "证件数": "Certificates",
    "残疾人证文件": "Certificate file",
    "残疾人证号": "Certificate number",
    "发证日期": "Issued on",
    "有效期至": "Valid until",
    "审核日期": "Reviewed on",
    "审批日期": "Decided on",
    "残疾人证": "Disability certificate",
    "已导入残疾人证 %(rows)s 份，待残联审核": "Imported %(rows)s certificates, awaiting the federation's review",
    "已办理": "Done",
    "新纳入 %(started)s 人，调整 %(changed)s 人，停发 %(stopped)s 人": (
        "%(started)s started, %(changed)s changed, %(stopped)s stopped"
    ),
    "导入残联残疾人证文件": "Import the federation's certificate file",
    "残联的残疾人证文件，每行一份证件。每一行都先检查（身份证号须为本辖区登记人员，证件在有效期内，同一人没有待审核的证件），有任何错误则整个文件不导入，并列出行号和列。残疾人证号加密保存。": (
        "The disabled persons' federation's certificate file, one certificate a row. Every row is checked first (the"
        " ID number of a person registered in your area, the certificate still valid, no certificate of the same"
        " person awaiting review); any error refuses the whole file, listed by row and column. Certificate numbers"
        " are stored encrypted."
    ),
    "残疾人两项补贴：残疾人证": "Disability subsidies: certificates",
    "两项补贴随低保调整（%(m)s）": "Bring the subsidies in line with the minimum living allowance (%(m)s)",
    "残联导入的残疾人证先由残联审核（残疾类别和等级），再由民政部门审批（残联审核、民政审批各10个工作日）；审批通过后残疾类别和等级写入家庭登记，按政策自申请当月起发放（审批前的月份随下一次发放补发）：低保家庭的残疾人发生活补贴，一二级残疾人发护理补贴。每月发放前“随低保调整”：退出低保的家庭次月起停发生活补贴，新纳入低保家庭的残疾人当月起发放。": (
        "Certificates from the federation are reviewed by the federation (category and grade), then approved by"
        " civil affairs (10 working days each); approval writes the category and grade to the registry and pays,"
        " from the month of application (months before the approval as arrears with the next payment), as the"
        " policy says: the"
        " living subsidy to disabled members of minimum living allowance households, the care subsidy to grade 1–2. Before each"
        " month's payment they follow the allowance: a household that left it loses the living subsidy from the next"
        " month; a disabled member of a newly enrolled household gets it from that month."
    ),
    "办理": "Action",
    "残联审核通过": "Passed by the federation",
    "不通过的理由": "Reason it did not pass",
    "不通过": "Not passed",
    "申请日期": "Application date",
    "自申请当月起发放，决定前各月随下一次发放补发；不填即为今天": (
        "Paid from the month of application; the months before the decision are paid as arrears with the next"
        " payment. Empty means today"
    ),
}
