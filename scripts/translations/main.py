"""English for strings added by the coordinator's own changes."""

EN = {
    "提交后台任务": "Background job queued",
}
