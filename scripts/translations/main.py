"""English for strings added by the coordinator's own changes."""

EN = {
    "提交后台任务": "Background job queued",
    "序号": "Number",
    "校验码": "MAC",
    "密钥编号": "Key id",
    "封存时间": "Sealed at",
    "归档截止": "Archived before",
    "最后序号": "Last number",
    "最后校验码": "Last MAC",
    "事件数": "Events",
    "归档文件": "Archive file",
    "归档时间": "Archived at",
}
