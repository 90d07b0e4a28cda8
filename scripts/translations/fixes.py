"""English for issue 11's small fixes: survey form, job box, import labels, card check digit, confirmations, staff
accounts and passwords, case counts, the holiday calendar note."""

EN = {
    # staff accounts and passwords
    "修改工作人员信息": "Staff member edited",
    "重置工作人员密码": "Staff password reset",
    "修改本人密码": "Own password changed",
    "须修改密码": "Must change password",
    "启用（可以登录）": "Active (may log in)",
    "原密码": "Current password",
    "新密码": "New password",
    "再次输入新密码": "New password again",
    "密码已修改": "Password changed",
    "修改密码": "Change password",
    "管理员已重置您的密码。请先设置新密码，才能继续使用系统。": (
        "An administrator reset your password. Set a new one before you go on."
    ),
    "密码已重置": "Password reset",
    "%(name)s（用户名 %(username)s）的一次性密码：": "One-time password for %(name)s (username %(username)s):",
    "此密码只显示这一次，系统不保存明文。请当面或电话告知本人；本人登录后须立即修改。": (
        "This password is shown only this once and is not stored. Tell the person in person or by phone; they "
        "must change it when they log in."
    ),
    "返回名单": "Back to the list",
    "修改信息": "Edit details",
    "自己的角色、所属区划和启用状态须由另一名管理员修改。": (
        "Your own role, area and active state are changed by another administrator."
    ),
    "重置密码": "Reset password",
    "生成一次性密码（只显示一次），当面或电话告知本人；本人下次登录时须先修改密码。原密码立即失效。": (
        "Makes a one-time password (shown once) to give the person in person or by phone; they must change it at "
        "their next login. The old password stops working at once."
    ),
    "确认重置%(name)s的密码？原密码立即失效，下次登录须修改密码。": (
        "Reset %(name)s's password? The old password stops working at once and must be changed at the next login."
    ),
    "该账号尚未修改管理员重置的密码。": "This account has not yet changed the password an administrator reset.",
    "账号记录": "Account history",
    "待改密码": "Password to change",
    "修改/重置密码": "Edit / reset password",
    # confirmations
    "确认批准%(name)s的%(programme)s申请？批准后纳入保障，按核定金额发放。": (
        "Approve %(name)s's application for %(programme)s? They are enrolled and paid the amount decided."
    ),
    "确认批准%(name)s的%(programme)s申请？批准后纳入保障，按现行政策每月%(amount)s元。": (
        "Approve %(name)s's application for %(programme)s? They are enrolled at %(amount)s yuan a month under the "
        "current policy."
    ),
    "确认不予批准%(name)s的%(programme)s申请？案件即办结，须书面告知申请人理由。": (
        "Refuse %(name)s's application for %(programme)s? The case is closed; the applicant is told why in writing."
    ),
    "确认撤回%(name)s的%(programme)s申请？案件即办结，不能恢复。": (
        "Withdraw %(name)s's application for %(programme)s? The case is closed and cannot be reopened."
    ),
    "确认审批%(title)s？审批后不能修改，可导出银行文件发放。": (
        "Approve %(title)s? It cannot be changed afterwards; the bank file can then be exported."
    ),
    "确认导出%(title)s的银行文件？文件含完整账号，导出记入审计日志。": (
        "Export the bank file of %(title)s? It holds full account numbers; the export is audited."
    ),
    "确认作废%(title)s？全部冲销，不能恢复。": "Cancel %(title)s? Everything is reversed; this cannot be undone.",
    "确认登记%(name)s的变化情况并重新测算？结果立即生效：可能增发、减发、暂停、渐退或终止保障。": (
        "Record the change for %(name)s and re-evaluate? The result applies at once: an increase, decrease, "
        "suspension, gradual exit or termination."
    ),
    # payroll job box
    "%(year)s年%(month)s月%(programme)s%(kind)s表：%(n)s户，合计%(total)s元": (
        "%(programme)s %(kind)s payroll %(year)s-%(month)s: %(n)s households, %(total)s yuan in total"
    ),
    "进度": "Progress",
    "已完成": "Done",
    # holiday calendar
    "%(years)s年节假日安排尚未发布（或尚未载入），截止日按周末推算，以后可能变动": (
        "The official holiday calendar for %(years)s is not published (or not loaded) yet: the due date counts "
        "weekends only and may change"
    ),
    "%(years)s年节假日安排尚未发布（或尚未载入），带⚠的截止日按周末推算，以后可能变动；安排发布后由系统管理员载入（已载入的年份见“行政区划”页）。": (
        "The official holiday calendar for %(years)s is not published (or not loaded) yet: due dates marked ⚠ count "
        "weekends only and may change. The administrator loads it once published (the loaded years are on the "
        "Areas page)."
    ),
    "节假日安排（计算工作日期限用）": "Holiday calendar (for working-day time limits)",
    "已载入 %(n)s 个年份：%(first)s—%(last)s年。": "%(n)s years loaded: %(first)s–%(last)s.",
    "尚未载入任何年份的节假日安排。": "No year's holiday calendar is loaded.",
    "%(years)s年的节假日安排尚未载入：跨越这些年份的截止日按周末推算，页面上以⚠标出。国务院办公厅发布当年安排后，用命令 doudi calendar_load 年份 文件.csv 载入（列：date,kind,name）。": (
        "The holiday calendar for %(years)s is not loaded: due dates across these years count weekends only and are "
        "marked ⚠. Once the State Council publishes it, load it with doudi calendar_load YEAR FILE.csv (columns "
        "date,kind,name)."
    ),
    "各年份来源": "Source of each year",
    # cases
    "全部案件": "All cases",
    "案件合计": "Cases in total",
    "录入核对结果": "Record verification results",
    "未办理：": "Not done: ",
    "已填写的内容保留在下面，改正后再提交。": "What you typed is kept below: correct it and submit again.",
    "本乡镇没有可担任调查人员的在职工作人员": "The township has no active staff who may survey",
    # registry: card check digit, import
    "卡号已核对无误（如存折账号没有校验位），仍然保存": (
        "The number is checked and right (a passbook account may have no check digit): save it"
    ),
    "提示 %(n)s 处（不影响导入，请核对）": "%(n)s warnings (imported anyway; please check)",
    "提示": "Warning",
    "下载导入结果（含提示，.xlsx）": "Download the import result with warnings (.xlsx)",
}
