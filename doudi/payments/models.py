"""Payroll, its lines, the append-only ledger, anomalies, bank files and their returns, recoveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doudi.core.fields import EncryptedTextField

MONEY = {"max_digits": 14, "decimal_places": 2}
STAFF = settings.AUTH_USER_MODEL


class PayrollState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    CHECKED = "checked", _("已复核")
    APPROVED = "approved", _("已审批")
    EXPORTED = "exported", _("已导出银行文件")
    RECONCILED = "reconciled", _("已对账")
    CANCELLED = "cancelled", _("已作废")


class PayrollKind(models.TextChoices):
    REGULAR = "regular", _("月度发放")
    SUPPLEMENTARY = "supplementary", _("补发")


class Payroll(models.Model):
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT)
    month = models.DateField(_("发放月份"))
    kind = models.CharField(_("类型"), max_length=16, choices=PayrollKind.choices, default=PayrollKind.REGULAR)
    area_prefix = models.CharField(max_length=12)
    state = models.CharField(_("状态"), max_length=12, choices=PayrollState.choices, default=PayrollState.DRAFT)
    line_count = models.PositiveIntegerField(default=0)
    total = models.DecimalField(default=0, **MONEY)
    generated_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    generated_at = models.DateTimeField(auto_now_add=True)
    checked_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    batch_id = models.CharField(max_length=64)
    # The three sums that must agree to the fen (docs/payments.md, "The ledger"), as last computed — at
    # generation, approval, export and after each bank return — and when; pages and the API show these
    # instead of recomputing them. The bank file's is empty until the file is exported.
    ledger_total = models.DecimalField(_("台账合计"), null=True, blank=True, **MONEY)
    lines_total = models.DecimalField(_("明细合计"), null=True, blank=True, **MONEY)
    bank_total = models.DecimalField(_("银行文件合计"), null=True, blank=True, **MONEY)
    totals_at = models.DateTimeField(_("核对时间"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "month", "area_prefix"],
                condition=Q(kind="regular") & ~Q(state="cancelled"),
                name="one_regular_payroll_per_programme_month",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.name_zh} {self.month.year}年{self.month.month}月 #{self.pk}"


class LineStatus(models.TextChoices):
    PENDING = "pending", _("待发放")
    PAID = "paid", _("已到账")
    FAILED = "failed", _("发放失败")


# The longest account holder's name a payroll line (and so the bank file) carries: whoever else keeps a payee's
# name (a funeral home, a veteran's own account) refuses a longer one, or payroll generation would fail on it.
ACCOUNT_HOLDER_MAX = 50


class PayrollLine(models.Model):
    payroll = models.ForeignKey(Payroll, on_delete=models.PROTECT, related_name="lines")
    enrolment = models.ForeignKey("cases.Enrolment", on_delete=models.PROTECT, related_name="payroll_lines")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=12, db_index=True)
    hukou_type = models.CharField(max_length=8)
    # copied from the household and the person as stored (encrypted: a copy by SQL needs no decryption)
    account = EncryptedTextField(max_length=32, blank=True, domain="bank_account")
    account_holder = models.CharField(max_length=ACCOUNT_HOLDER_MAX, blank=True)
    id_number = EncryptedTextField(max_length=18, blank=True, domain="id_number")
    amount = models.DecimalField(**MONEY)
    current_amount = models.DecimalField(**MONEY)  # for this month
    arrears_amount = models.DecimalField(default=0, **MONEY)  # for earlier months not yet paid
    offset_amount = models.DecimalField(default=0, **MONEY)  # overpayment recovered from this payment
    months = models.JSONField(default=list)  # service months covered
    members = models.PositiveSmallIntegerField(default=1)  # people covered (for person-months)
    # how the person was supported when the line was generated (tekun: scattered or centralised; blank otherwise),
    # so a past month's centralised support rate keeps that month's mode after the enrolment's changes
    support_mode = models.CharField(max_length=12, blank=True, default="", db_default="")
    status = models.CharField(max_length=8, choices=LineStatus.choices, default=LineStatus.PENDING)
    failure_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["payroll", "status"])]


class EntryKind(models.TextChoices):
    PAYMENT = "payment", _("应发")
    OFFSET = "offset", _("抵扣追回款")
    REVERSAL = "reversal", _("冲销")


class LedgerEntry(models.Model):
    """Append-only. A correction is a new entry reversing an earlier one; nothing is ever edited.

    A payroll writes a million entries at once, so the indexes are only those the queries use: by payroll, by
    line, by enrolment and month; the reversal and overpayment links are indexed only where they are set.
    The payroll and enrolment are copies of the line's, so the database checks the line reference only (each
    foreign-key check is a row lock at commit; measured in docs/benchmarks.md); the property tests check the
    copies agree with the line at every state."""

    payroll = models.ForeignKey(Payroll, on_delete=models.PROTECT, related_name="entries", db_constraint=False)
    line = models.ForeignKey(PayrollLine, on_delete=models.PROTECT, related_name="entries")
    enrolment = models.ForeignKey(
        "cases.Enrolment", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    month = models.DateField()  # the service month this money is for
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    amount = models.DecimalField(**MONEY)
    # an entry is reversed at most once (the partial unique constraint below)
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by", db_index=False
    )
    overpayment = models.ForeignKey(
        "cases.Overpayment", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    batch_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["enrolment", "month"]),
            models.Index(fields=["overpayment"], condition=Q(overpayment__isnull=False), name="ledger_overpayment"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reverses"], condition=Q(reverses__isnull=False), name="ledger_reversed_once"
            )
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("ledger entries are append-only: write a reversing entry instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("ledger entries are append-only: write a reversing entry instead")


class AnomalyKind(models.TextChoices):
    ACCOUNT = "account", _("银行账号缺失或无效")
    DECEASED = "deceased", _("登记为已死亡")
    EXCLUSIVE = "exclusive", _("同一人同时享受低保和特困")
    CHANGE = "change", _("金额较上月变化过大")
    DUPLICATE = "duplicate", _("同一对象重复纳入")


class AnomalyStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ACCEPTED = "accepted", _("已说明")
    RESOLVED = "resolved", _("已纠正")


class Anomaly(models.Model):
    payroll = models.ForeignKey(Payroll, on_delete=models.CASCADE, related_name="anomalies")
    line = models.ForeignKey(PayrollLine, on_delete=models.CASCADE, related_name="anomalies")
    kind = models.CharField(max_length=12, choices=AnomalyKind.choices)
    detail = models.CharField(max_length=300)
    status = models.CharField(
        max_length=10,
        default=AnomalyStatus.OPEN,
        choices=AnomalyStatus.choices,
    )
    reason = models.CharField(max_length=300, blank=True)
    handled_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")


class BankLayout(models.Model):
    """The column layout a bank asks for. Columns: ref, account, name, id_number, amount, memo, area, month."""

    name = models.CharField(max_length=60, unique=True)
    columns = models.JSONField()
    headers = models.JSONField()
    delimiter = models.CharField(max_length=1, default=",")
    full_id = models.BooleanField(default=False, help_text="the bank needs full ID numbers (access-logged)")
    encoding = models.CharField(max_length=16, default="utf-8-sig")


class BankExport(models.Model):
    payroll = models.ForeignKey(Payroll, on_delete=models.PROTECT, related_name="exports")
    layout = models.ForeignKey(BankLayout, on_delete=models.PROTECT)
    fmt = models.CharField(max_length=4)
    stored_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    line_count = models.PositiveIntegerField()
    total = models.DecimalField(**MONEY)
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class BankReturn(models.Model):
    payroll = models.ForeignKey(Payroll, on_delete=models.PROTECT, related_name="returns")
    file_name = models.CharField(max_length=200)
    paid = models.PositiveIntegerField()
    failed = models.PositiveIntegerField()
    paid_total = models.DecimalField(**MONEY)
    failed_total = models.DecimalField(**MONEY)
    imported_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)


class Recovery(models.Model):
    """Money recovered on an overpayment: an offset against a payment, or a repayment by the household."""

    overpayment = models.ForeignKey("cases.Overpayment", on_delete=models.PROTECT, related_name="recoveries")
    kind = models.CharField(
        max_length=10, choices=[("offset", _("抵扣")), ("repayment", _("退回")), ("reversal", _("冲销"))]
    )
    amount = models.DecimalField(**MONEY)
    line = models.ForeignKey(PayrollLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    # When the money came back, as the monthly statistics count it: a repayment on the day the household repaid;
    # an offset, and the reversal of an offset the bank returned, on the first day of the month of the payroll
    # it was taken from (the payment month it reduced). created_at is only when it was recorded.
    recovered_on = models.DateField(_("追回日期"), default=timezone.localdate)
    created_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
