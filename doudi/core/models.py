"""The working-day calendar: China's official holidays and make-up working days (调休), by year."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .labels import said


class CalendarYear(models.Model):
    """A year whose official calendar is loaded. Deadlines that cross a year without one are flagged."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("来源"), max_length=200)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["year"]


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日（休息）")
    WORKDAY = "workday", _("调休上班")


class CalendarDay(models.Model):
    """An exception to 'Monday to Friday are working days': a holiday, or a weekend day made a working day."""

    date = models.DateField(_("日期"), primary_key=True)
    kind = models.CharField(_("类型"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=60, blank=True)

    class Meta:
        ordering = ["date"]


class JobKind(models.TextChoices):
    PAYROLL_GENERATE = "payroll_generate", _("生成发放表")
    EVALUATION_RUN = "evaluation_run", _("批量测算")
    EVALUATION_SIMULATE = "evaluation_simulate", _("模拟影响")
    EVALUATION_EXPORT = "evaluation_export", _("导出测算名单")
    STATISTICS_REFRESH = "statistics_refresh", _("刷新统计看板")
    AUDIT_VERIFY = "audit_verify", _("校验审计链")
    MEDICAL_IMPORT = "medical_import", _("导入医疗费用结算")


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    FINISHED = "finished", _("已完成")
    FAILED = "failed", _("失败")


class BackgroundJob(models.Model):
    """A piece of background work and its progress, as the people who asked for it see it (doudi/core/jobs.py
    moves it through its states; the queue itself is django-q2's)."""

    kind = models.CharField(_("类型"), max_length=32, choices=JobKind.choices)
    params = models.JSONField(_("参数"), default=dict)  # the action's arguments (dates as YYYY-MM-DD)
    area_prefix = models.CharField(_("区划"), max_length=12, blank=True)  # whose work: who else may see the job
    state = models.CharField(_("状态"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), null=True, blank=True)
    result_id = models.BigIntegerField(_("结果"), null=True, blank=True)  # payroll or evaluation run, by kind
    error = models.TextField(_("错误"), blank=True)  # the ApplicationError's Chinese message
    error_en = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    worker = models.CharField(_("执行进程"), max_length=200, blank=True)  # host:pid of the last attempt
    queue_id = models.CharField(max_length=32, blank=True)  # django-q2's task id
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["state"], name="core_job_state")]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def result_url(self) -> str | None:
        """Where what the job made is shown: the payroll, the evaluation run, or the exported file."""
        if self.result_id is None:
            return None
        if self.kind == JobKind.STATISTICS_REFRESH:  # the dashboard it refreshed
            return (
                reverse("statistics_dashboard")
                + "?"
                + urlencode({"area": self.params.get("area", ""), "year": self.params.get("year", "")})
            )
        if self.kind == JobKind.EVALUATION_EXPORT:
            return reverse("run_export_file", kwargs={"pk": self.pk})
        if self.kind == JobKind.AUDIT_VERIFY:  # the chain page shows the verification's result
            return reverse("audit_chain")
        if self.kind == JobKind.MEDICAL_IMPORT:  # the medical page lists the files imported
            return reverse("medical_home")
        name = "payroll_detail" if self.kind == JobKind.PAYROLL_GENERATE else "run_detail"
        return reverse(name, kwargs={"pk": self.result_id})

    @property
    def error_text(self) -> str:
        """Why the job failed, in the reader's language."""
        return said(self.error, self.error_en)
