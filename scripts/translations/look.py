"""English for the msgids added after looking at the day's pages (the approver's yearly targets, the statistics
lists' rows)."""

EN = {
    "批准后作为该年度的考核目标，统计指标页按它计算完成率": (
        "Once approved, the year's target: the figures page measures completion against it"
    ),
    "%(n)d人": "%(n)d people",
    "受理 %(d)s": "accepted %(d)s",
    "决定 %(d)s": "decided %(d)s",
}
