"""English for the coordinator's own changes (home page: temporary assistance)."""

EN = {
    "临时救助待办": "Temporary assistance to do",
    "先行救助后须在期限内补办手续；超过乡镇审批权限的由县级审批": "Paperwork is due within its deadline after paying first; amounts above the township's limit are approved by the county",
    "补办先行救助手续": "Complete the paperwork of a payment made first",
    "审批或先行救助": "Approve, or pay first",
    "期限": "Deadline",
    "全部临时救助": "All temporary assistance",
}
