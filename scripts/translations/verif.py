"""English for the msgids added by the verif branch (issue 13: discovery and assets, the register, visits)."""

EN = {
    "资产明显超标，可能不符合条件": "Assets clearly over the limits: probably not eligible",
    "资产情况": "Assets",
    "资产明显超标": "Assets clearly over the limits",
    "按部门资产数据重新评估主动发现": "Discoveries weighed again on the departments' asset data",
}
