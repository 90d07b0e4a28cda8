"""English for issue 14's background refresh, township map and overpayment dates (statsb)."""

EN = {
    "载入区划边界": "Load area boundaries",
    "边界": "Boundary",
    "发现日期": "Date established",
    "刷新统计看板": "Refresh the statistics dashboard",
    "追回日期": "Date recovered",
    "重新计算统计看板": "Recompute the statistics dashboard",
    "已提交后台重新计算（任务 #%(n)s），完成后刷新本页即可看到新数据": (
        "Queued for recomputing in the background (job #%(n)s); reload this page once it is done to see the new figures"
    ),
    "退回日期（默认今天）": "Date repaid (default today)",
    "后台正在重新计算（任务 #%(n)s），完成后刷新本页": (
        "Being recomputed in the background (job #%(n)s); reload this page once it is done"
    ),
    "已排队等待后台重新计算（任务 #%(n)s），完成后刷新本页": (
        "Queued for recomputing in the background (job #%(n)s); reload this page once it is done"
    ),
    "乡镇分布图（%(m)s）": "Map of townships (%(m)s)",
    "着色指标": "Colour by",
    "各乡镇按所选指标着色的分布图，点击乡镇进入其统计看板": (
        "Map of the townships coloured by the chosen indicator; click a township to open its dashboard"
    ),
    "点击乡镇进入该乡镇的统计看板；各乡镇的数字见上表。": (
        "Click a township to open its dashboard; the table above has each township's figures."
    ),
}
