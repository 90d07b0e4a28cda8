"""Payroll actions: check, approve (maker-checker), cancel, anomaly handling, bank export and return, repayments.
Every change is audited; ledger entries are only ever appended. The three totals (ledger, lines, bank file) are
computed here when it matters and stored on the payroll (totals.py)."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal
from typing import BinaryIO

from django.db.models import Sum
from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, ensure_not_maker, perm_require
from doudi.audit.actions import access_record, audit_record
from doudi.audit.models import EventKind
from doudi.cases.models import Enrolment, EnrolmentStatus, Overpayment
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, Conflict, NotFound
from doudi.core.money import money_parse
from doudi.core.sealedfiles import open_plain
from doudi.core.validation import TEXT_MAX, date_clean, text_clean
from doudi.programmes.shapes import SHAPES
from doudi.registry.models import Household
from doudi.registry.validation import account_problem

from . import bankfiles, ledger, recoveries, returns, totals
from .anomalies import payees_elsewhere
from .events import PaymentEvent
from .models import (
    Anomaly,
    AnomalyStatus,
    BankExport,
    BankLayout,
    BankReturn,
    LineStatus,
    Payroll,
    PayrollLine,
    PayrollState,
    Recovery,
)
from .workflow import MOVES

ZERO = Decimal("0.00")


def _lock(actor, payroll: Payroll, move: str) -> Payroll:
    """Lock the payroll and check the move against the table (workflow.py): the actor's permission, the payroll
    of the actor's own area (a wider one answers as missing), and the state the move starts from."""
    m = MOVES[move]
    if actor is not None:
        perm_require(actor, m.perm)
        if not covers(actor, payroll.area_prefix):
            raise NotFound()
    p = Payroll.objects.select_for_update().get(pk=payroll.pk)
    if p.state not in m.sources:
        raise Conflict(
            f"发放表当前状态为“{p.get_state_display()}”，不能{m.zh}",
            f"Cannot {m.en.lower()} while the payroll is {p.state}",
            field="state",
            code="bad_state",
        )
    return p


@action
def payroll_check(*, actor, payroll: Payroll) -> Payroll:
    p = _lock(actor, payroll, "check")
    p.state, p.checked_by = MOVES["check"].target, actor
    p.save(update_fields=["state", "checked_by"])
    audit_record(
        actor=actor, action=PaymentEvent.PAYROLL_CHECK, target=p, old={"state": "draft"}, new={"state": "checked"}
    )
    return p


@action
def anomaly_handle(*, actor, anomaly: Anomaly, accept: bool, reason: str = "") -> Anomaly:
    """Accept an anomaly with a written reason, or mark it resolved — which re-runs its check on the current
    registry and is refused if the problem is still there."""
    _lock(actor, anomaly.payroll, "anomaly")
    reason = text_clean(reason, field="reason", zh_label="理由", en_label="Reason", max_length=300)
    if accept:
        if not reason:
            raise ApplicationError("接受异常须写明理由", "Give the reason for accepting", field="reason")
        anomaly.status, anomaly.reason = AnomalyStatus.ACCEPTED, reason
    else:
        if anomaly.kind == "account" and anomaly.payroll.programme_id in payees_elsewhere():
            # paid to someone else (a funeral waiver to the funeral home): the payee's account is the line's own,
            # corrected on the payee (a funeral home changed puts its new account on the draft lines), never the
            # household's
            account = PayrollLine.objects.values_list("account", flat=True).get(pk=anomaly.line_id)
            if account_problem(account or ""):
                raise ApplicationError(
                    "收款方的银行账号仍然缺失或无效，请先更正收款方（如殡仪馆）的账号",
                    "The payee's account is still invalid: correct the payee's (the funeral home's) account first",
                    field="account",
                )
        elif anomaly.kind == "account":
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
        anomaly.status, anomaly.reason = AnomalyStatus.RESOLVED, reason or "已更正"
    anomaly.handled_by = actor
    anomaly.save(update_fields=["status", "reason", "handled_by"])
    audit_record(
        actor=actor,
        action=PaymentEvent(f"payroll.anomaly_{anomaly.status}"),
        target=anomaly.payroll,
        new={"anomaly": anomaly.pk, "kind": anomaly.kind, "reason": anomaly.reason},
    )
    return anomaly


@action
def payroll_approve(*, actor, payroll: Payroll) -> Payroll:
    """Finance officer's approval; not by whoever generated it; not while an anomaly is open."""
    p = _lock(actor, payroll, "approve")
    ensure_not_maker(actor, p.generated_by_id, what="payroll")
    open_count = p.anomalies.filter(status=AnomalyStatus.OPEN).count()
    if open_count:
        raise ApplicationError(
            f"还有 {open_count} 条异常未处理，不能审批",
            f"{open_count} anomalies are still open",
            field="anomalies",
            code="open_anomalies",
        )
    # the ledger and the lines, each summed once in the database; the bank file is checked when it is written
    ledger_total, lines_total = totals.ledger_sum(p), totals.lines_sum(p)
    if ledger_total != lines_total:
        raise ApplicationError(
            f"台账 {ledger_total:.2f} 与明细 {lines_total:.2f} 金额不一致",
            f"Totals disagree: ledger {ledger_total:.2f}, lines {lines_total:.2f}",
            field="total",
            code="totals_disagree",
        )
    totals.totals_store(p, ledger=ledger_total, lines=lines_total, bank=p.bank_total)
    p.state, p.approved_by, p.approved_at = PayrollState.APPROVED, actor, timezone.now()
    p.save(update_fields=["state", "approved_by", "approved_at"])
    audit_record(
        actor=actor,
        action=PaymentEvent.PAYROLL_APPROVE,
        target=p,
        old={"state": "checked"},
        new={
            "state": "approved",
            "total": p.total,
            "lines": p.line_count,
            "ledger_total": ledger_total,
            "lines_total": lines_total,
        },
    )
    return p


@action
def payroll_cancel(*, actor, payroll: Payroll, reason: str) -> Payroll:
    """Void an unapproved payroll: every entry is reversed (nothing deleted); the month can be generated again."""
    p = _lock(actor, payroll, "cancel")
    reason = text_clean(
        reason,
        field="reason",
        zh_label="作废原因",
        en_label="Reason",
        max_length=TEXT_MAX,
        required=True,
        multiline=True,
    )
    lines = PayrollLine.objects.filter(payroll=p)
    reversed_total = ledger.entries_reverse(lines, batch_id=f"cancel-{p.pk}")
    recoveries.offsets_undo(lines, actor=actor)
    totals.totals_store(p, ledger=totals.ledger_sum(p), lines=totals.lines_sum(p), bank=p.bank_total)
    p.state = PayrollState.CANCELLED
    p.save(update_fields=["state"])
    audit_record(
        actor=actor, action=PaymentEvent.PAYROLL_CANCEL, target=p, new={"reason": reason, "reversed": reversed_total}
    )
    return p


@action
def payroll_export(
    *, actor, payroll: Payroll, fmt: str | None = None, layout: BankLayout | str | None = None
) -> BankExport:
    """Write the bank file of an approved payroll once, in the layout of the bank that pays it (banklayouts.py;
    the default layout if none is named) and in the format that layout names unless ``fmt`` (csv or xlsx) says
    otherwise, and keep it. The file carries full account numbers, and full ID numbers if the layout asks for
    them, so the export is access-logged with who, which payroll and how many lines. The file's own total, read
    back from it, must agree with the ledger and the lines (summed in the database), or nothing is written. Asking
    again for the same layout and format returns the stored file: the bank gets the file that was checked."""
    p = _lock(actor, payroll, "export")
    if not isinstance(layout, BankLayout):
        layout = bankfiles.layout_get(layout)
    fmt = fmt or bankfiles.format_of(layout).fmt
    if fmt not in ("csv", "xlsx"):
        raise ApplicationError("格式应为 csv 或 xlsx", "Format must be csv or xlsx", field="fmt")
    existing = p.exports.filter(layout=layout, fmt=fmt).order_by("-id").first()
    if existing is not None:
        return existing
    ledger_total, lines_total = totals.ledger_sum(p), totals.lines_sum(p)
    if ledger_total != lines_total:
        raise ApplicationError(
            f"台账 {ledger_total:.2f} 与明细 {lines_total:.2f} 金额不一致，未导出",
            f"Totals disagree: ledger {ledger_total:.2f}, lines {lines_total:.2f}",
            field="total",
            code="totals_disagree",
        )
    export = bankfiles.export_store(p, layout, fmt, actor, expected=lines_total)
    totals.totals_store(p, ledger=ledger_total, lines=lines_total, bank=export.total)
    access_record(
        actor=actor, field=bankfiles.sensitive_field(layout), purpose="bank_export", target=p, count=export.line_count
    )
    if p.state == PayrollState.APPROVED:
        p.state = PayrollState.EXPORTED
        p.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action=PaymentEvent.PAYROLL_EXPORT,
        target=p,
        new={
            "export": export.pk,
            "fmt": fmt,
            "layout": layout.name,
            "lines": export.line_count,
            "full_ids": export.line_count if layout.full_id and "id_number" in layout.columns else 0,
            "total": export.total,
            "sha256": export.sha256,
        },
    )
    return export


def bank_file_open(*, actor, export: BankExport):
    """The stored bank file, opened for download by someone who may export the payroll; every download is logged
    as a look at the full account (and ID) numbers it holds, naming the file and its number of lines."""
    perm_require(actor, Perm.PAYROLL_APPROVE)
    if not covers(actor, export.payroll.area_prefix):
        raise NotFound()
    access_record(
        actor=actor,
        field=bankfiles.sensitive_field(export.layout),
        purpose="download",
        target=export.payroll,
        label=f"{export.payroll} · {export.stored_name}",
        count=export.line_count,
    )
    return open_plain(bankfiles.export_path(export))


def oneoffs_end(payroll: Payroll) -> int:
    """A one-off payment (temporary, medical, funeral: the shape's ``payment == "once"``) is done once the bank has
    paid its line: its enrolment ends (status ended) instead of staying active. A returned line leaves it active,
    so the next payroll pays it again. Set-based; returns the enrolments ended."""
    shape = SHAPES.get(payroll.programme_id)
    if shape is None or shape.payment != "once":
        return 0
    paid = PayrollLine.objects.filter(payroll=payroll, status=LineStatus.PAID).values("enrolment_id")
    return Enrolment.objects.filter(pk__in=paid, status=EnrolmentStatus.ACTIVE).update(status=EnrolmentStatus.ENDED)


@action
def bank_return_import(*, actor, payroll: Payroll, filename: str, content: bytes | BinaryIO) -> BankReturn:
    """Read the bank's return file (ref, status, reason; ``content`` its bytes or a binary file): paid lines are
    marked paid; failed lines are marked failed and their ledger entries reversed, so the money is owed again and
    the next payroll (or a supplementary one) pays it. Every row is checked before anything is applied, and all
    of it is set-based (returns.py). The payroll is reconciled when every line has a result. Afterwards the
    three totals are computed again: the ledger and the lines in the database, the bank file as its stored total
    less the lines this return failed."""
    p = _lock(actor, payroll, "return")
    filename = text_clean(filename, field="file", zh_label="文件名", en_label="File name", max_length=200)
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    applied = returns.return_apply(
        p, filename=filename, stream=stream, actor=actor, batch_id=f"return-{p.pk}-{uuid.uuid4().hex[:8]}"
    )
    ended = oneoffs_end(p)
    ret = BankReturn.objects.create(
        payroll=p,
        file_name=filename,
        paid=applied.paid,
        failed=applied.failed,
        paid_total=applied.paid_total,
        failed_total=applied.failed_total,
        imported_by=actor,
    )
    bank_total = None if p.bank_total is None else p.bank_total - applied.failed_total
    ledger_total, lines_total = totals.ledger_sum(p), totals.lines_sum(p)
    totals.totals_store(p, ledger=ledger_total, lines=lines_total, bank=bank_total)
    if not PayrollLine.objects.filter(payroll=p, status=LineStatus.PENDING).exists():
        p.state = PayrollState.RECONCILED
        p.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action=PaymentEvent.BANK_RETURN,
        target=p,
        kind=EventKind.CHANGE,
        new={
            "paid": applied.paid,
            "failed": applied.failed,
            "oneoffs_ended": ended,
            "paid_total": applied.paid_total,
            "failed_total": applied.failed_total,
            "file": filename,
            "ledger_total": ledger_total,
            "lines_total": lines_total,
            "bank_total": bank_total,
            "totals_agree": totals.agree(ledger_total, lines_total, bank_total),
        },
    )
    return ret


@action
def repayment_record(
    *, actor, overpayment: Overpayment, amount: Decimal, note: str = "", on: dt.date | None = None
) -> Recovery:
    perm_require(actor, Perm.PAYROLL_APPROVE)
    if not covers(actor, overpayment.enrolment.area_code):
        raise NotFound()
    amount = money_parse(amount, field="amount", zh_label="退回金额", en_label="Amount repaid", positive=True)
    note = text_clean(note, field="note", zh_label="备注", en_label="Note", max_length=200)
    # the day the household repaid (what the month's statistics count it by): not before the overpayment was
    # established, not in the future
    on = date_clean(
        on,
        field="on",
        zh_label="退回日期",
        en_label="Date repaid",
        earliest=overpayment.raised_on,
        latest=timezone.localdate(),
        default=timezone.localdate(),
    )
    got = overpayment.recoveries.aggregate(s=Sum("amount"))["s"] or ZERO
    left = overpayment.amount - got
    if amount > left:
        raise ApplicationError(
            f"退回金额应大于0且不超过待追回的 {left} 元", f"Amount must be between 0 and {left}", field="amount"
        )
    r = Recovery.objects.create(
        overpayment=overpayment, kind="repayment", amount=amount, note=note, recovered_on=on, created_by=actor
    )
    recoveries.overpayments_refresh([overpayment.pk])
    audit_record(
        actor=actor,
        action=PaymentEvent.REPAYMENT,
        target=overpayment,
        area_code=overpayment.enrolment.area_code,
        household_id=overpayment.enrolment.household_id,
        new={"amount": amount, "left": left - amount, "on": on},
    )
    return r
