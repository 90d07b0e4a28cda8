"""English for the strings of issue 12's speed and administrators' API work (merged by scripts/translations_en.py)."""

EN = {
    "完成时间": "Finished at",
    "完好": "Intact",
    "已校验封存数": "Seals checked",
    "起始序号": "First sequence number",
    "链头校验码": "Head MAC",
    "已开始在后台校验整条审计链，完成后结果显示在本页": (
        "Verification of the whole audit chain has started in the background; its result will show on this page"
    ),
    "整条审计链的校验已排队，等待后台进程执行。": "Verification of the whole audit chain is queued for the background worker.",
    "正在后台校验整条审计链：已核对 %(n)s 条。": "Verifying the whole audit chain in the background: %(n)s checked so far.",
    "查看进度": "See progress",
    "%(at)s 的校验未能完成：": "The verification of %(at)s did not finish: ",
    "最近一次校验完成于 %(at)s（%(by)s 发起）": "Last verification finished at %(at)s (started by %(by)s)",
    "尚未校验过整条审计链。": "The whole audit chain has not been verified yet.",
    "在后台校验整条审计链": "Verify the whole audit chain in the background",
    "校验审计链": "Verify the audit chain",
}
