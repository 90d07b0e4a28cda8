"""English for the msgids added by the verif branch's audit follow-up (issue 13: alerts on the low-income
register, the cadre's village alerts, objections through the API)."""

EN = {
    "监测户成员死亡": "A member of a register household died",
    "已退出低收入人口监测": "Left the low-income register",
    "预警核实后退出低收入人口监测": "Household left the register after an alert was checked",
    "已退出低收入人口监测 %(n)s 项": "%(n)s register entries closed",
    "监测户": "On the register",
    "选中的监测户退出低收入人口监测": "Take the chosen register households off the register",
    "在保家庭的预警可转为复核案件；低收入人口监测户（不在保）的预警核实后销号，或退出监测。": (
        "Alerts on enrolled households can become review cases; alerts on register households (not paid) are "
        "resolved once checked, or the household leaves the register."
    ),
    "乡镇正在核实的本村（社区）预警": "Alerts on families of your village the township is checking",
    "部门数据提示这些家庭的情况可能有变化，乡镇正在核实；入户时请留意，有情况及时报告乡镇。": (
        "The departments' data suggest these families' situation may have changed and the township is checking; "
        "bear it in mind when you visit and tell the township what you find."
    ),
    "乡镇正在核实": "Being checked by the township",
    "逾期答复": "Answered late",
}
