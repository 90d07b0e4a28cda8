"""English for veterans' periodic payments (issue 15, veterans)."""

EN = {
    "优抚对象": "Veterans' payments",
    "优抚标准": "Veterans' amounts",
    "优抚对象名册": "Veterans' roster",
    "优抚类别": "Category",
    "伤残等级": "Disability grade",
    "证件编号": "Certificate number",
    "本人银行账号": "Own bank account",
    "不予批准理由": "Reason for refusal",
    "服刑起始日期": "In prison from",
    "刑满释放日期": "Released on",
    "补助类型": "Kind of grant",
    "年度": "Year",
    "待县级审批": "Awaiting county approval",
    "已批准": "Approved",
    "不予批准": "Refused",
    "发放中": "Being paid",
    "服刑中止": "Suspended (in prison)",
    "仅一次性补助": "One-off grants only",
    "已停发": "Stopped",
    "服刑期间": "Prison terms",
    "优抚一次性补助": "Veterans' one-off grant",
    "登记优抚对象": "Enter an entitled person",
    "审批优抚对象": "Decide on an entitled person",
    "服刑中止优抚金": "Suspend a veteran's payment (prison)",
    "刑满释放恢复优抚金": "Resume a veteran's payment (released)",
    "按新标准调整优抚金": "Bring veterans' payments to the new table",
    "发放优抚一次性补助": "Make veterans' one-off grants",
    "导入优抚标准": "Load the veterans' amounts",
    "筛选": "Filter",
    "全部": "All",
    "区划": "Area",
    "姓名或证件编号": "Name or certificate",
    "查询": "Search",
    "按所选月份生效的标准核对发放中的优抚金，金额不同的自该月起调整（已发放的月份下次发放时补差）？": (
        "Check the payments against the table in force in this month and change those that differ from it "
        "(months already paid get the difference with the next payroll)?"
    ),
    "按此月标准调整": "Bring to this month's table",
    "调整金额": "Change amounts",
    "发放所选一次性补助？每人每年同一补助只发一次，重复操作不会重复发放。": (
        "Make the chosen one-off grant? Each person gets a grant once a year; doing it again pays nobody twice."
    ),
    "一次性补助": "One-off grant",
    "发放": "Pay",
    "登记优抚对象：在其个人页面点“登记优抚对象”（乡镇经办人），县级审批后按月发放。": (
        "To enter an entitled person, use Enter an entitled person on their page (township caseworker); the "
        "county approves, then it is paid monthly."
    ),
    "%(n)s 人": ("%(n)s person", "%(n)s people"),
    "只显示前500人，请用筛选缩小范围": "Only the first 500 are shown: narrow the filter",
    "月发放金额": "Monthly amount",
    "发放起始月": "First month paid",
    "（仅残疾军人）": "(disabled servicemen only)",
    "不填则发到家庭账户": "Empty: paid to the household's account",
    "账户名": "Account holder",
    "登记，送县级审批": "Enter and send to the county",
    "个人页面（全部救助项目）": "Person's page (every programme)",
    "%(g)s级": "grade %(g)s",
    "元": "yuan",
    "不按月发放（只享受一次性补助）": "No monthly payment (one-off grants only)",
    "收款账户": "Paid to",
    "本人账户": "Own account",
    "家庭账户": "The household's account",
    "登记人": "Entered by",
    "县级审批": "County approval",
    "批准，纳入发放": "Approve and pay",
    "自服刑起始当月起中止发放，刑满释放后从下一个月起恢复；服刑期间的月份不补发。": (
        "Suspended from the month the term begins, paid again from the month after release; the months inside "
        "are never paid."
    ),
    "中止发放": "Suspend",
    "刑满释放，恢复发放": "Released: pay again",
    "恢复发放": "Pay again",
    "金额变化": "Amount history",
    "起始月": "From",
    "变化": "Change",
    "原因": "Reason",
    "发放记录": "Payments",
    "所属月份": "Month",
    "发放表": "Payroll",
    "查看此日生效的标准": "The table in force on",
    "国家标准每年8月1日起调整；以下为此日生效的县级参数（乡镇无单独标准）。": (
        "National standards change each year from 1 August; below is the county's table in force on this date "
        "(townships have no table of their own)."
    ),
    "导入预览：%(f)s，%(d)s起生效": "Preview of %(f)s, in force from %(d)s",
    "类别": "Category",
    "现行标准": "Table in force",
    "导入标准": "Loaded table",
    "确认，生成参数草稿": "Confirm: make a draft version",
    "草稿经县级审批人（非起草人）审批后生效": "A county approver who did not draft it approves it before it applies",
    "单位": "Unit",
    "导入退役军人事务部门的标准表": "Load the veterans affairs department's table",
    "Excel（.xlsx）或CSV文件，第一行为列名：": "Excel (.xlsx) or CSV with these column names in the first row: ",
    "。伤残等级只填残疾军人；每个类别和等级、每种一次性补助各一行。先预览，确认后生成参数草稿；有错误时指出行和列，什么都不保存。": (
        ". The grade is for disabled servicemen only; one row per category and grade and per one-off grant. Preview "
        "first, then confirm to make a draft version; an error names its row and column and nothing is saved."
    ),
    "标准文件": "Amounts file",
    "预览": "Preview",
    "选择日期": "Choose a date",
    "已发放%(kind)s：新发放%(added)s人，合计%(total)s元；已发放过的%(already)s人不再发放": (
        "%(kind)s made: %(added)s people, %(total)s yuan in all; %(already)s granted before, not again"
    ),
    "已按%(month)s标准核对%(checked)s人，调整%(changed)s人": (
        "Checked %(checked)s people against the %(month)s table; %(changed)s changed"
    ),
    "已登记，待县级审批": "Entered: awaiting county approval",
    "已保存": "Saved",
    "已生成参数草稿，待县级审批人审批后生效": "Draft version made: it applies once a county approver approves it",
    "查看优抚类别、金额变化、服刑期间和一次性补助": "Category, amount history, prison terms and one-off grants",
    "高龄津贴名册": "Old-age allowance rosters",
}
