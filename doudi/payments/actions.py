"""Payroll actions: check, approve (maker-checker), cancel, anomaly handling, bank export and return, repayments.
Every change is audited; ledger entries are only ever appended."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import ensure_not_maker, perm_require
from doudi.audit.actions import access_record, audit_record
from doudi.audit.models import EventKind
from doudi.cases.models import Overpayment
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict, NotFound
from doudi.core.money import money_parse
from doudi.core.validation import TEXT_MAX, text_clean

from .models import (
    Anomaly,
    BankExport,
    BankLayout,
    BankReturn,
    EntryKind,
    LedgerEntry,
    Payroll,
    PayrollLine,
    PayrollState,
    Recovery,
)

ZERO = Decimal("0.00")


def payroll_get(user, pk) -> Payroll:
    p = Payroll.objects.filter(pk=pk, area_prefix__startswith=user.scope_prefix[:6]).select_related("programme").first()
    if p is None or not (p.area_prefix.startswith(user.scope_prefix) or user.scope_prefix.startswith(p.area_prefix)):
        raise NotFound()
    return p


def _lock(payroll: Payroll, *states: str) -> Payroll:
    p = Payroll.objects.select_for_update().get(pk=payroll.pk)
    if states and p.state not in states:
        raise Conflict(
            f"发放表当前状态为“{p.get_state_display()}”，不能执行此操作",
            f"Not allowed while the payroll is {p.state}",
            field="state",
            code="bad_state",
        )
    return p


@action
def payroll_check(*, actor, payroll: Payroll) -> Payroll:
    perm_require(actor, Perm.PAYROLL_GENERATE)
    p = _lock(payroll, PayrollState.DRAFT)
    p.state, p.checked_by = PayrollState.CHECKED, actor
    p.save(update_fields=["state", "checked_by"])
    audit_record(actor=actor, action="payroll.check", target=p, old={"state": "draft"}, new={"state": "checked"})
    return p


@action
def anomaly_handle(*, actor, anomaly: Anomaly, accept: bool, reason: str = "") -> Anomaly:
    """Accept an anomaly with a written reason, or mark it resolved — which re-runs its check on the current
    registry and is refused if the problem is still there."""
    perm_require(actor, Perm.PAYROLL_GENERATE)
    from doudi.registry.validation import account_problem

    if anomaly.payroll.state not in (PayrollState.DRAFT, PayrollState.CHECKED):
        raise Conflict("发放表已审批，不能再处理异常", "The payroll is already approved", field="state")
    reason = text_clean(reason, field="reason", zh_label="理由", en_label="Reason", max_length=300)
    if accept:
        if not reason:
            raise ApplicationError("接受异常须写明理由", "Give the reason for accepting", field="reason")
        anomaly.status, anomaly.reason = "accepted", reason
    else:
        if anomaly.kind == "account":
            from doudi.registry.models import Household

            line = anomaly.line
            account = Household.objects.values_list("bank_account", flat=True).get(pk=line.household_id)
            if account_problem(account):
                raise ApplicationError(
                    "家庭的银行账号仍然缺失或无效，请先在家庭信息中更正",
                    "The account is still invalid",
                    field="account",
                )
            # the corrected account goes into the line before the bank file is made
            PayrollLine.objects.filter(pk=line.pk).update(account=account)
        anomaly.status, anomaly.reason = "resolved", reason or "已更正"
    anomaly.handled_by = actor
    anomaly.save(update_fields=["status", "reason", "handled_by"])
    audit_record(
        actor=actor,
        action=f"payroll.anomaly_{anomaly.status}",
        target=anomaly.payroll,
        new={"anomaly": anomaly.pk, "kind": anomaly.kind, "reason": anomaly.reason},
    )
    return anomaly


@action
def payroll_approve(*, actor, payroll: Payroll) -> Payroll:
    """Finance officer's approval; not by whoever generated it; not while an anomaly is open."""
    perm_require(actor, Perm.PAYROLL_APPROVE)
    p = _lock(payroll, PayrollState.CHECKED)
    ensure_not_maker(actor, p.generated_by_id, what="payroll")
    open_count = p.anomalies.filter(status="open").count()
    if open_count:
        raise ApplicationError(
            f"还有 {open_count} 条异常未处理，不能审批",
            f"{open_count} anomalies are still open",
            field="anomalies",
            code="open_anomalies",
        )
    totals = payroll_totals(p)
    if len(set(totals.values())) != 1:
        raise ApplicationError(
            f"台账、明细、银行文件金额不一致：{totals}",
            f"Totals disagree: {totals}",
            field="total",
            code="totals_disagree",
        )
    p.state, p.approved_by, p.approved_at = PayrollState.APPROVED, actor, timezone.now()
    p.save(update_fields=["state", "approved_by", "approved_at"])
    audit_record(
        actor=actor,
        action="payroll.approve",
        target=p,
        old={"state": "checked"},
        new={"state": "approved", "total": p.total, "lines": p.line_count},
    )
    return p


def _reverse(entries, *, reason_batch: str) -> Decimal:
    """Append a reversing entry for each entry (amount negated). Returns the net reversed."""
    total = ZERO
    rows = []
    for e in entries:
        rows.append(
            LedgerEntry(
                payroll_id=e.payroll_id,
                line_id=e.line_id,
                enrolment_id=e.enrolment_id,
                month=e.month,
                kind=EntryKind.REVERSAL,
                amount=-e.amount,
                reverses=e,
                overpayment_id=e.overpayment_id,
                batch_id=reason_batch,
            )
        )
        total += e.amount
    LedgerEntry.objects.bulk_create(rows, batch_size=5000)
    return total


def _undo_offsets(line_ids, actor) -> None:
    for r in Recovery.objects.filter(line_id__in=line_ids, kind="offset"):
        Recovery.objects.create(
            overpayment_id=r.overpayment_id,
            kind="reversal",
            amount=-r.amount,
            line_id=r.line_id,
            note="发放未成功，抵扣冲回",
            created_by=actor,
        )
    _overpayments_refresh(Recovery.objects.filter(line_id__in=line_ids).values("overpayment_id"))


def _overpayments_refresh(ids) -> None:
    for o in Overpayment.objects.filter(pk__in=ids).annotate(got=Sum("recoveries__amount")):
        status = "recovered" if (o.got or ZERO) >= o.amount else "open"
        if o.status != status and o.status != "written_off":
            Overpayment.objects.filter(pk=o.pk).update(status=status)


@action
def payroll_cancel(*, actor, payroll: Payroll, reason: str) -> Payroll:
    """Void an unapproved payroll: every entry is reversed (nothing deleted); the month can be generated again."""
    perm_require(actor, Perm.PAYROLL_GENERATE)
    p = _lock(payroll, PayrollState.DRAFT, PayrollState.CHECKED)
    reason = text_clean(
        reason,
        field="reason",
        zh_label="作废原因",
        en_label="Reason",
        max_length=TEXT_MAX,
        required=True,
        multiline=True,
    )
    reversed_total = _reverse(
        LedgerEntry.objects.filter(payroll=p, reverses__isnull=True)
        .exclude(kind=EntryKind.REVERSAL)
        .exclude(reversed_by__isnull=False),
        reason_batch=f"cancel-{p.pk}",
    )
    _undo_offsets(PayrollLine.objects.filter(payroll=p).values("id"), actor)
    p.state = PayrollState.CANCELLED
    p.save(update_fields=["state"])
    audit_record(actor=actor, action="payroll.cancel", target=p, new={"reason": reason, "reversed": reversed_total})
    return p


def default_layout() -> BankLayout:
    layout, _ = BankLayout.objects.get_or_create(
        name="社会救助一卡通（默认）",
        defaults={
            "columns": ["ref", "account", "name", "id_number", "amount", "memo"],
            "headers": ["流水号", "账号", "户名", "身份证号", "金额", "摘要"],
            "delimiter": ",",
            "full_id": False,
        },
    )
    return layout


@action
def payroll_export(*, actor, payroll: Payroll, fmt: str = "csv", layout: BankLayout | None = None) -> BankExport:
    """Write the bank file (CSV or .xlsx) of an approved payroll and keep it; full ID numbers only if the
    bank's layout asks for them, and then the export is access-logged."""
    from . import bankfiles

    perm_require(actor, Perm.PAYROLL_APPROVE)
    p = _lock(payroll, PayrollState.APPROVED, PayrollState.EXPORTED)
    layout = layout or default_layout()
    if fmt not in ("csv", "xlsx"):
        raise ApplicationError("格式应为 csv 或 xlsx", "Format must be csv or xlsx", field="fmt")
    export = bankfiles.export_store(p, layout, fmt, actor)
    if layout.full_id:
        access_record(actor=actor, field="id_number", purpose="bank_export", target=p, count=export.line_count)
    if p.state == PayrollState.APPROVED:
        p.state = PayrollState.EXPORTED
        p.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="payroll.export",
        target=p,
        new={"export": export.pk, "fmt": fmt, "layout": layout.name, "total": export.total, "sha256": export.sha256},
    )
    return export


@action
def bank_return_import(*, actor, payroll: Payroll, filename: str, content: bytes) -> BankReturn:
    """Read the bank's return file (ref, status, reason): paid lines are marked paid; failed lines are marked
    failed and their ledger entries reversed, so the money is owed again and the next payroll (or a
    supplementary one) pays it. The payroll is reconciled when every line has a result."""
    from . import bankfiles

    perm_require(actor, Perm.PAYROLL_APPROVE)
    p = _lock(payroll, PayrollState.EXPORTED)
    results = bankfiles.return_parse(filename, content)
    lines = {l.pk: l for l in PayrollLine.objects.filter(payroll=p, status="pending", pk__in=list(results))}
    unknown = [ref for ref in results if ref not in lines]
    if unknown:
        raise ApplicationError(
            f"回盘文件中的流水号不属于本发放表或已对账：{unknown[:10]}",
            f"Unknown or already reconciled refs: {unknown[:10]}",
            field="file",
            code="unknown_refs",
        )
    paid_ids, failed = [], {}
    paid_total = failed_total = ZERO
    for ref, (ok, reason, amount) in results.items():
        line = lines[ref]
        if amount is not None and amount != line.amount:
            raise ApplicationError(
                f"流水号 {ref} 金额 {amount} 与发放表 {line.amount} 不符",
                f"Ref {ref}: amount {amount} differs from {line.amount}",
                field="file",
                code="amount_mismatch",
            )
        if ok:
            paid_ids.append(ref)
            paid_total += line.amount
        else:
            failed[ref] = reason or "银行退回"
            failed_total += line.amount
    PayrollLine.objects.filter(pk__in=paid_ids).update(status="paid")
    for ref, reason in failed.items():
        PayrollLine.objects.filter(pk=ref).update(status="failed", failure_reason=reason)
    if failed:
        _reverse(
            LedgerEntry.objects.filter(line_id__in=list(failed), reversed_by__isnull=True).exclude(
                kind=EntryKind.REVERSAL
            ),
            reason_batch=f"return-{p.pk}",
        )
        _undo_offsets(list(failed), actor)
    filename = text_clean(filename, field="file", zh_label="文件名", en_label="File name", max_length=200)
    ret = BankReturn.objects.create(
        payroll=p,
        file_name=filename,
        paid=len(paid_ids),
        failed=len(failed),
        paid_total=paid_total,
        failed_total=failed_total,
        imported_by=actor,
    )
    if not PayrollLine.objects.filter(payroll=p, status="pending").exists():
        p.state = PayrollState.RECONCILED
        p.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="payroll.bank_return",
        target=p,
        kind=EventKind.CHANGE,
        new={
            "paid": len(paid_ids),
            "failed": len(failed),
            "paid_total": paid_total,
            "failed_total": failed_total,
            "file": filename,
        },
    )
    return ret


@action
def repayment_record(
    *, actor, overpayment: Overpayment, amount: Decimal, note: str = "", on: dt.date | None = None
) -> Recovery:
    perm_require(actor, Perm.PAYROLL_APPROVE)
    if not overpayment.enrolment.area_code.startswith(actor.scope_prefix):
        raise NotFound()
    amount = money_parse(amount, field="amount", zh_label="退回金额", en_label="Amount repaid", positive=True)
    note = text_clean(note, field="note", zh_label="备注", en_label="Note", max_length=200)
    got = overpayment.recoveries.aggregate(s=Sum("amount"))["s"] or ZERO
    left = overpayment.amount - got
    if amount > left:
        raise ApplicationError(
            f"退回金额应大于0且不超过待追回的 {left} 元", f"Amount must be between 0 and {left}", field="amount"
        )
    r = Recovery.objects.create(overpayment=overpayment, kind="repayment", amount=amount, note=note, created_by=actor)
    _overpayments_refresh([overpayment.pk])
    audit_record(
        actor=actor,
        action="overpayment.repayment",
        target=overpayment,
        area_code=overpayment.enrolment.area_code,
        household_id=overpayment.enrolment.household_id,
        new={"amount": amount, "left": left - amount},
    )
    return r


def payroll_totals(payroll: Payroll) -> dict[str, str]:
    """Three independent sums that must agree to the fen: the ledger (net of reversals), the lines (less the
    ones the bank returned), and the bank file (parsed back from the stored file, or rendered from the lines
    before export, less returned lines)."""
    from . import bankfiles

    ledger = LedgerEntry.objects.filter(payroll=payroll).aggregate(s=Sum("amount"))["s"] or ZERO
    lines = PayrollLine.objects.filter(payroll=payroll).exclude(status="failed").aggregate(s=Sum("amount"))["s"] or ZERO
    bank = bankfiles.file_total(payroll)
    return {"ledger": _fmt(ledger), "lines": _fmt(lines), "bank_file": _fmt(bank)}


def _fmt(value) -> str:
    """Two decimals. SQLite sums decimals in floating point, so the sum is brought back to the fen first
    (each term has two decimals, so this is exact for any realistic total); never "-0.00"."""
    value = Decimal(value).quantize(Decimal("0.01"))
    return f"{(value if value != 0 else ZERO):.2f}"
