"""English for the parameter forms, version differences and approval confirmation, and the household lists of
evaluation runs and simulations (doudi/programmes)."""

EN = {
    "现行标准月金额（元）": "Monthly amount, standard in force (yuan)",
    "草稿标准月金额（元）": "Monthly amount, draft standard (yuan)",
    "上次测算月金额（元）": "Monthly amount, previous run (yuan)",
    "本次测算月金额（元）": "Monthly amount, this run (yuan)",
    "对比月金额（元）": "Monthly amount compared with (yuan)",
    "测算月金额（元）": "Monthly amount (yuan)",
    "测算名单": "Households",
    "家庭编号": "Household no.",
    "差额（元）": "Difference (yuan)",
    "新增符合": "Newly eligible",
    "不再符合": "No longer eligible",
    "金额增加": "Amount up",
    "金额减少": "Amount down",
    "金额不变": "Amount unchanged",
    "现行月金额": "Monthly amount before",
    "测算月金额": "Monthly amount",
    "生效日期：应写成 YYYY-MM-DD": "Effective date: write it as YYYY-MM-DD",
    "生效日期：不能为空": "Effective date: is required",
    "说明/文件依据：最多200字": "Note / legal basis: at most 200 characters",
    "如发文字号；最多200字": "Such as the document number; at most 200 characters",
    "请先核对差异并确认": "Check the differences and confirm first",
    "与现行标准相比：%(n)s 项变化": "Against the standard in force: %(n)s changes",
    "现行值": "In force",
    "与现行标准下的测算 #%(b)s 对比": "compared with run #%(b)s under the standard in force",
    "与上次测算 #%(b)s（%(d)s）对比": "compared with the previous run #%(b)s (%(d)s)",
    "此前没有同一区域的测算可对比，名单列出符合条件的家庭": (
        "no earlier run of the same area to compare with: the list shows the eligible households"
    ),
    "这是模拟 #%(s)s 的现行标准对照测算": "this is the run under the standard in force for simulation #%(s)s",
    "查看模拟名单": "See the simulation's list",
    "按乡镇汇总": "Totals by township",
    "家庭名单": "Households",
    "测算金额（元）从": "Amount (yuan) from",
    "差额（元）从": "Difference (yuan) from",
    "到": "to",
    "排序": "Order",
    "差额从大到小": "Largest gain first",
    "差额从小到大（减少最多的在前）": "Largest loss first",
    "按村（社区）": "By village (community)",
    "清除": "Clear",
    "符合筛选条件 %(n)s 户": "%(n)s households match",
    "导出 Excel（筛选后的名单）": "Export to Excel (the filtered list)",
    "乡镇/村（社区）": "Township / village (community)",
    "人均收入（元）": "Income per member (yuan)",
    "没有符合条件的家庭": "No household matches",
    "第一页": "First page",
    "批准后，自 <b>%(d)s</b> 起，<b>%(area)s</b> 的测算、审批和发放按下列新值执行。": (
        "Once approved, from <b>%(d)s</b> evaluations, approvals and payments in <b>%(area)s</b> use the new "
        "values below."
    ),
    "我已核对以上差异和生效日期 %(d)s": "I have checked the differences above and the effective date %(d)s",
    "确认批准": "Approve",
    "确认批准参数版本": "Confirm the approval of a parameter version",
    "返回，不批准": "Back, do not approve",
    "本版本覆盖的参数": "Parameters this version overrides",
    "核对并批准…": "Check and approve…",
    "项目与区划": "Programme and area",
    "现行值截至": "Values in force on",
    "载入现行值": "Load the values in force",
    "乡镇版本覆盖县标准：只保存与县标准不同的参数，其余沿用县标准。": (
        "A township version overrides the county's standard: only the parameters that differ from it are saved; "
        "the rest follow the county."
    ),
    "县级版本是全县的标准，须填写全部参数。": "A county version is the county's standard: every parameter is required.",
    "下列各项已填入 %(d)s 的现行值，只改需要调整的。": (
        "The fields hold the values in force on %(d)s: change only what changes."
    ),
    "此日期没有生效的标准，请逐项填写。": "No standard is in force on this date: fill in every field.",
    "草稿批准前不影响任何测算，可先模拟影响。": (
        "A draft affects no evaluation until it is approved; simulate its effect first."
    ),
    "有 %(n)s 项参数需要更正，见各项下方的说明；草稿未保存。": (
        "%(n)s parameters need correcting (see the message under each); the draft was not saved."
    ),
}
EN.update(
    {
        "导出测算名单": "Export of an evaluation list",
        "导出文件已不存在，请重新导出": "The exported file is gone; export again",
    }
)
