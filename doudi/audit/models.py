from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    CHANGE = "change", _("变更")
    ACCESS = "access", _("查看敏感信息")
    BATCH = "batch", _("批量作业")


class AuditEvent(models.Model):
    """One row per change (written in the same transaction as the change) or per look at a full number.

    Rows are never updated or deleted by the application.
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("类别"), max_length=8, choices=EventKind.choices, default=EventKind.CHANGE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=40, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    target_label = models.CharField(_("对象"), max_length=200, blank=True)
    # Area code of the target, so auditors of a township see its events only.
    area_code = models.CharField(max_length=12, blank=True, db_index=True)
    household_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    old = models.JSONField(_("原值"), null=True, blank=True)
    new = models.JSONField(_("新值"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    batch_id = models.CharField(_("批次"), max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_type}:{self.target_id}"


class AuditSeal(models.Model):
    """The audit chain: event ``seq`` is sealed by ``mac`` = HMAC-SM3(key, previous seal's mac ‖ the event's
    canonical content). Changing, removing or inserting an event or a seal breaks every mac after it
    (``doudi audit verify`` names the first). Written only by ``doudi.audit.chain``; never updated or deleted
    (on PostgreSQL a trigger refuses both, except the archiving of events older than the retention period)."""

    seq = models.BigIntegerField(_("序号"), primary_key=True)
    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="seal")
    mac = models.CharField(_("校验码"), max_length=64)
    key_id = models.CharField(_("密钥编号"), max_length=32)
    sealed_at = models.DateTimeField(_("封存时间"), auto_now_add=True)

    class Meta:
        ordering = ["seq"]


class AuditArchive(models.Model):
    """Events moved out of the database (older than the retention period): where the chain continues from."""

    before = models.DateTimeField(_("归档截止"))
    last_seq = models.BigIntegerField(_("最后序号"))
    last_mac = models.CharField(_("最后校验码"), max_length=64)
    events = models.PositiveIntegerField(_("事件数"))
    file = models.CharField(_("归档文件"), max_length=300)
    sha256 = models.CharField(max_length=64)
    at = models.DateTimeField(_("归档时间"), auto_now_add=True)

    class Meta:
        ordering = ["-last_seq"]


class AuditVerification(models.Model):
    """One verification of the whole chain (``audit_verify``), run in the background from the chain page or the
    API (a ``BackgroundJob`` of kind ``audit_verify``): what it found and when it ran, shown on the chain page.
    Written once by the job when the verification ends; the audit event ``audit.verify`` records it too."""

    job = models.OneToOneField(
        "core.BackgroundJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_verification"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"))
    ok = models.BooleanField(_("完好"))
    checked = models.PositiveBigIntegerField(_("已校验封存数"))
    first_seq = models.BigIntegerField(_("起始序号"))
    last_seq = models.BigIntegerField(_("最后序号"))
    head_mac = models.CharField(_("链头校验码"), max_length=64, blank=True)
    problems = models.JSONField(_("问题"), default=list)

    class Meta:
        ordering = ["-id"]
