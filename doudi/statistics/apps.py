from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "doudi.statistics"
    label = "statistics"

    def ready(self):
        from doudi.core.jobs import job_summary_register
        from doudi.core.labels import said
        from doudi.core.models import JobKind

        def summary(n):  # the job box says what the refresh made
            return said(f"已重新计算 {n} 个区划·月份的看板数据", f"dashboard figures of {n} area-months recomputed")

        job_summary_register(JobKind.STATISTICS_REFRESH, summary)
