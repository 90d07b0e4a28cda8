"""Payroll lines paid to someone other than the household: a funeral waiver's line carries the funeral home's
account and name (called by payroll generation, in its transaction, before the bank file can exist), and a new
account — a funeral home's, a veteran's own — reaches the lines nobody has checked yet (``lines_pay_to``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from doudi.payments.models import Anomaly, AnomalyKind, AnomalyStatus, Payroll, PayrollLine, PayrollState
from doudi.registry.validation import account_problem

from .models import FuneralHome, Payee

# The states of a payroll whose lines a new account no longer reaches, though no bank file has been
# written: the checker (checked) or the approver (approved) has seen the old one (the four-eyes check).
SEEN = (PayrollState.CHECKED, PayrollState.APPROVED)


def funeral_home_payees(payroll: Payroll) -> int:
    """Give each line of a funeral payroll its funeral home's account; returns the lines changed."""
    homes = {
        p.enrolment_id: p.funeral_home
        for p in Payee.objects.filter(enrolment__payroll_lines__payroll=payroll).select_related("funeral_home")
    }
    changed = []
    for line in PayrollLine.objects.filter(payroll=payroll, enrolment_id__in=homes):
        home = homes[line.enrolment_id]
        line.account, line.account_holder = home.bank_account, home.account_holder
        changed.append(line)
    PayrollLine.objects.bulk_update(changed, ["account", "account_holder"], batch_size=500)
    return len(changed)


def home_lines(home: FuneralHome) -> QuerySet:
    """The funeral payroll lines that pay ``home`` (its waivers', through ``Payee``), in any state."""
    return PayrollLine.objects.filter(
        enrolment_id__in=Payee.objects.filter(funeral_home=home).values("enrolment_id"),
        payroll__programme_id="funeral",
    )


def home_lines_pending(home: FuneralHome) -> dict[str, int]:
    """How many lines paying ``home`` wait in a payroll not exported yet, by the payroll's state (draft, checked,
    approved; a state without lines is 0)."""
    counts = dict(
        home_lines(home)
        .filter(payroll__state__in=(PayrollState.DRAFT, *SEEN))
        .values_list("payroll__state")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {state: counts.get(state, 0) for state in (PayrollState.DRAFT, *SEEN)}


@dataclass
class LinesKept:
    """Lines left on the old account, in payrolls of one state."""

    lines: int = 0
    payrolls: list[int] = field(default_factory=list)


@dataclass
class LinesMoved:
    """What a new account did to the lines that pay it (``lines_pay_to``): those of draft payrolls took it; those
    of checked or approved payrolls kept the old one (counted with their payrolls); lines already exported are
    never touched."""

    updated: int = 0
    kept_checked: LinesKept = field(default_factory=LinesKept)
    kept_approved: LinesKept = field(default_factory=LinesKept)

    def audited(self) -> dict:
        """What an audit event of the change keeps of it."""
        return {
            "lines_updated": self.updated,
            "lines_kept_checked": self.kept_checked.lines,
            "lines_kept_approved": self.kept_approved.lines,
        }

    def notes(self, *, to_zh: str) -> list[dict]:
        """What the person who changed the account should know about the payments, in Chinese and English: each a
        ``code``, ``zh`` and ``en`` (a page shows them after saving, the API returns them). ``to_zh`` names the
        payee in the first note (付给该殡仪馆的)."""
        out = []
        if self.updated:
            n = self.updated
            out.append(
                {
                    "code": "lines_updated",
                    "zh": f"草稿发放表中{to_zh} {n} 笔已改为新的账号和账户名",
                    "en": f"{n} line{'s' if n != 1 else ''} of draft payrolls now pay the new account and holder",
                }
            )
        if self.kept_checked.lines:
            n, ids = self.kept_checked.lines, _payroll_ids(self.kept_checked.payrolls)
            out.append(
                {
                    "code": "kept_checked",
                    "zh": f"已复核的发放表（{ids}）中有 {n} 笔仍是原账号：如需付到新账号，请作废该发放表后重新生成",
                    "en": f"{n} line{'s' if n != 1 else ''} of checked payrolls ({ids}) keep the old account: to pay "
                    "the new one, cancel the payroll and generate it again",
                }
            )
        if self.kept_approved.lines:
            n, ids = self.kept_approved.lines, _payroll_ids(self.kept_approved.payrolls)
            out.append(
                {
                    "code": "kept_approved",
                    "zh": f"已审批的发放表（{ids}）中有 {n} 笔将按原账号发放；如银行退回，次月改付新账号",
                    "en": f"{n} line{'s' if n != 1 else ''} of approved payrolls ({ids}) will be paid to the old "
                    "account; if the bank returns a payment, it is paid again the month after to the new account",
                }
            )
        return out


def _payroll_ids(ids: list[int]) -> str:
    return ", ".join(f"#{pk}" for pk in ids)


def lines_pay_to(lines: QuerySet, account: str, holder: str) -> LinesMoved:
    """Give ``lines`` in draft payrolls the (new) account and holder, in the caller's transaction: the draft
    payrolls are locked first, so a payroll checked meanwhile keeps what its checker saw. A new account with a
    problem (a card number failing its check digit) is an anomaly on each line changed, as the generation would
    have found, unless one is already open. Lines in checked or approved payrolls are left as they are and counted
    (by state, with their payrolls); lines of payrolls exported, reconciled or cancelled are never touched."""
    drafts = list(
        Payroll.objects.select_for_update()
        .filter(state=PayrollState.DRAFT, pk__in=lines.values("payroll_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    changed = lines.filter(payroll_id__in=drafts)
    moved = LinesMoved(updated=changed.update(account=account, account_holder=holder))
    problem = account_problem(account or "")
    if problem and moved.updated:
        flagged = Anomaly.objects.filter(kind=AnomalyKind.ACCOUNT, status=AnomalyStatus.OPEN).values("line_id")
        Anomaly.objects.bulk_create(
            Anomaly(payroll_id=payroll_id, line_id=line_id, kind=AnomalyKind.ACCOUNT, detail=problem)
            for line_id, payroll_id in changed.exclude(pk__in=flagged).order_by("pk").values_list("pk", "payroll_id")
        )
    kept = {PayrollState.CHECKED: moved.kept_checked, PayrollState.APPROVED: moved.kept_approved}
    for state, payroll_id, n in (
        lines.filter(payroll__state__in=SEEN)
        .values_list("payroll__state", "payroll_id")
        .annotate(n=Count("id"))
        .order_by("payroll_id")
    ):
        kept[state].lines += n
        kept[state].payrolls.append(payroll_id)
    return moved


def home_lines_update(home: FuneralHome) -> LinesMoved:
    """The funeral home's new account and holder given to the lines that pay it (``lines_pay_to``)."""
    return lines_pay_to(home_lines(home), home.bank_account, home.account_holder)
