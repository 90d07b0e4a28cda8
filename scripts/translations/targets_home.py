"""English for the approver's home: next year's targets awaiting approval (issue 14)."""

EN = {
    "待审批的年度目标": "Yearly targets to approve",
    "目标值": "Target",
    "录入人": "Entered by",
}
