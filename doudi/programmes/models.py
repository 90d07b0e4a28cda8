from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.core.fields import FenField
from doudi.core.labels import said


class ProgrammeKind(models.TextChoices):
    MEANS_TESTED_CASH = "means_tested_cash", _("家计调查现金救助")
    CATEGORICAL_CASH = "categorical_cash", _("类别现金救助")
    IN_KIND = "in_kind", _("实物救助")
    REIMBURSEMENT = "reimbursement", _("费用报销")


class ProgrammeUnit(models.TextChoices):
    HOUSEHOLD = "household", _("以户为单位")
    PERSON = "person", _("以人为单位")


class Programme(models.Model):
    code = models.CharField(_("代码"), max_length=32, primary_key=True)
    name_zh = models.CharField(_("中文名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=24, choices=ProgrammeKind.choices)
    unit = models.CharField(_("对象单位"), max_length=12, choices=ProgrammeUnit.choices)

    def __str__(self) -> str:
        return self.name_zh  # the audit trail's stored labels are Chinese; pages show ``name``

    @property
    def name(self) -> str:
        """The programme's name in the reader's language."""
        return said(self.name_zh, self.name_en)


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class ParameterVersion(models.Model):
    """Parameters of a programme in force from ``effective_from`` in ``area`` (a county default, or a
    township override whose values replace the county's for the names it gives). Only approved versions are
    used by decisions; drafts are for simulation."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="versions")
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, verbose_name=_("适用区划"))
    effective_from = models.DateField(_("生效日期"))
    status = models.CharField(_("状态"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    values = models.JSONField(_("参数值"))
    note = models.CharField(_("说明/文件依据"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["programme_id", "-effective_from", "area_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "area", "effective_from"],
                condition=models.Q(status="approved"),
                name="one_approved_version_per_area_and_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.name_zh} · {self.area.name} · {self.effective_from:%Y-%m-%d}起"


class EvaluationRun(models.Model):
    """One batch evaluation (or simulation) of a programme over households, on a date."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT)
    on = models.DateField(_("评估日期"))
    area_prefix = models.CharField(max_length=12)
    draft = models.ForeignKey(
        ParameterVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="set for a what-if simulation under a draft version",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    households = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict)
    base = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="the run its list of households is compared against: a simulation's run under the approved "
        "parameters, or the previous run of the same programme and area",
    )

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.programme.name_zh}批量测算 {self.on:%Y-%m-%d} #{self.pk}"


class EvaluationResult(models.Model):
    """One household's result in a batch run. Written a million at a time by one statement, so the table has
    one index, its key (run, household), and no database-level foreign keys: the statement reads the households
    it writes, inside the transaction that created the run (docs/benchmarks.md)."""

    pk = models.CompositePrimaryKey("run", "household")
    run = models.ForeignKey(
        EvaluationRun, on_delete=models.CASCADE, related_name="results", db_index=False, db_constraint=False
    )
    household = models.ForeignKey(
        "registry.Household", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    township_code = models.CharField(max_length=12)
    # the household's village when evaluated, so the run's list needs no lookup per household ("" in runs
    # written before it was kept: the list then looks the village up)
    area_code = models.CharField(max_length=12, default="", db_default="")
    eligible = models.BooleanField()
    monthly_amount = FenField()  # Decimal yuan, stored as integer fen (core/fields.py)
    per_capita_income = FenField()
    counted_members = models.PositiveSmallIntegerField()


class ChangeKind(models.TextChoices):
    """How a household's result in a run compares with the run it is compared against."""

    NEW = "new", _("新增符合")
    LOST = "lost", _("不再符合")
    UP = "up", _("金额增加")
    DOWN = "down", _("金额减少")
    SAME = "same", _("金额不变")
    ELIGIBLE = "eligible", _("符合条件")  # no run to compare against


class EvaluationChange(models.Model):
    """One line of a run's list of households: every household eligible in the run or in the run it is compared
    against (``EvaluationRun.base``), with both amounts and the difference. Written by one statement at the end
    of the run, in its transaction; read a page at a time in the order of its indexes (keyset paging)."""

    pk = models.CompositePrimaryKey("run", "household")
    run = models.ForeignKey(
        EvaluationRun, on_delete=models.CASCADE, related_name="changes", db_index=False, db_constraint=False
    )
    household = models.ForeignKey(
        "registry.Household", on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    area_code = models.CharField(_("村/社区"), max_length=12)
    township_code = models.CharField(_("乡镇/街道"), max_length=12)
    kind = models.CharField(_("变化"), max_length=8, choices=ChangeKind.choices)
    before_amount = FenField(_("现行月金额"))
    after_amount = FenField(_("测算月金额"))
    difference = FenField(_("差额"))
    counted_members = models.PositiveSmallIntegerField(_("保障人数"))
    per_capita_income = FenField(_("人均收入"))

    class Meta:
        indexes = [
            models.Index(fields=["run", "difference", "household"], name="evalchange_run_diff"),
            models.Index(fields=["run", "kind", "difference", "household"], name="evalchange_run_kind"),
            models.Index(fields=["run", "township_code", "difference", "household"], name="evalchange_run_town"),
            models.Index(fields=["run", "area_code", "household"], name="evalchange_run_area"),
        ]
