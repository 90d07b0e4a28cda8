"""English for the statistics work of engineer statsc (issue 14: set-based figures, tekun mode by month)."""

EN = {
    "以下数字为后台于 %(at)s 计算的结果。": "These figures were computed in the background at %(at)s.",
    "按当前数据重新计算": "Compute again from the current data",
    "以下数字按当前数据即时计算。": "These figures are computed now from the current data.",
}
