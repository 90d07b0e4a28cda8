"""English for the approver's home: next year's targets awaiting approval (issue 14)."""

EN = {
    "待审批的年度目标": "Yearly targets to approve",
    "目标值": "Target",
    "录入人": "Entered by",
}

EN.update(
    {
        "残疾人两项补贴：待办残疾人证": "Disability subsidies: certificates waiting",
        "待残联审核 %(n)s 件": "%(n)s awaiting the federation's review",
        "残联已审核、待审批 %(n)s 件": "%(n)s reviewed by the federation, awaiting approval",
        "其中 %(n)s 件已超过10个工作日的办理期限": "%(n)s of them past the 10 working days allowed",
        "办理期限": "Due by",
        "%(d)s，已超期": "%(d)s, overdue",
    }
)

EN["待办残疾人证"] = "Disability certificates waiting"
