"""Audit event types are enumerations, one per app (``doudi/<app>/events.py``), each registered here so the audit
page and its export can name every event in the reader's language. ``audit_record`` refuses a bare string."""

from __future__ import annotations

from enum import Enum

from django.db import models
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, object] = {}


def register(*enums: type[models.TextChoices]) -> None:
    for enum in enums:
        for member in enum:
            _LABELS[member.value] = member.label


def action_label(action: str) -> str:
    """The event's name for people (Chinese, or English on request); an unknown code is shown as it is."""
    label = _LABELS.get(action)
    return str(label) if label is not None else action


def is_event(value) -> bool:
    return isinstance(value, Enum) and value.value in _LABELS


class SensitiveField(models.TextChoices):
    ID_NUMBER = "id_number", _("完整身份证号")
    BANK_ACCOUNT = "bank_account", _("完整银行账号")
    ID_AND_ACCOUNT = "id_number+bank_account", _("完整身份证号和银行账号")
    DOCUMENT = "document", _("案件材料")
    NAME = "name", _("完整姓名")


class AccessPurpose(models.TextChoices):
    VIEW = "view", _("查看")
    EXPORT = "export", _("导出")
    BANK_EXPORT = "bank_export", _("生成银行文件")
    PRINT = "print", _("打印")
    DOWNLOAD = "download", _("下载")


class AccessEvent(models.TextChoices):
    """A look at personal data in full: ``access.<field>.<purpose>``."""

    ID_VIEW = "access.id_number.view", _("查看完整身份证号")
    ACCOUNT_VIEW = "access.bank_account.view", _("查看完整银行账号")
    ID_EXPORT = "access.id_number.export", _("导出完整身份证号")
    ID_ACCOUNT_EXPORT = "access.id_number+bank_account.export", _("导出完整身份证号和银行账号")
    ACCOUNT_EXPORT = "access.bank_account.export", _("导出完整银行账号")
    DOCUMENT_VIEW = "access.document.view", _("查看案件材料")
    ID_BANK_EXPORT = "access.id_number.bank_export", _("银行文件含完整身份证号")
    ID_ACCOUNT_BANK_EXPORT = "access.id_number+bank_account.bank_export", _("银行文件含完整身份证号和银行账号")
    ACCOUNT_BANK_EXPORT = "access.bank_account.bank_export", _("银行文件含完整银行账号")
    ID_ACCOUNT_DOWNLOAD = "access.id_number+bank_account.download", _("下载含完整身份证号和银行账号的银行文件")
    ACCOUNT_DOWNLOAD = "access.bank_account.download", _("下载含完整银行账号的银行文件")
    NAME_PRINT = "access.name.print", _("打印含完整姓名的通知书")

    @classmethod
    def of(cls, field: str, purpose: str) -> AccessEvent:
        return cls(f"access.{SensitiveField(field).value}.{AccessPurpose(purpose).value}")


register(AccessEvent)


class JobEvent(models.TextChoices):
    """Work queued to run in the background (what it then makes is audited by the action itself)."""

    QUEUE = "job.queue", _("提交后台任务")


register(JobEvent)


class ChainEvent(models.TextChoices):
    """The audit administrator's work on the chain itself (the chain page)."""

    VERIFY = "audit.verify", _("校验审计链")
    HEAD = "audit.head", _("记录审计链头")


register(ChainEvent)
