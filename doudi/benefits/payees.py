"""Payroll lines paid to someone other than the household: a funeral waiver's line carries the funeral home's
account and name (called by payroll generation, in its transaction, before the bank file can exist), and a funeral
home's new account reaches the lines nobody has checked yet (``home_lines_update``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from doudi.payments.models import Anomaly, AnomalyKind, AnomalyStatus, Payroll, PayrollLine, PayrollState
from doudi.registry.validation import account_problem

from .models import FuneralHome, Payee

# The states of a payroll whose lines a funeral home's new account no longer reaches, though no bank file has been
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
    """Lines paying a funeral home left on its old account, in payrolls of one state."""

    lines: int = 0
    payrolls: list[int] = field(default_factory=list)


def home_lines_update(home: FuneralHome) -> tuple[int, dict[str, LinesKept]]:
    """Give the lines paying ``home`` in draft funeral payrolls its (new) account and holder, in the caller's
    transaction: the draft payrolls are locked first, so a payroll checked meanwhile keeps what its checker saw.
    A new account with a problem (a card number failing its check digit) is an anomaly on each line changed, as the
    generation would have found, unless one is already open. Lines in checked or approved payrolls are left as they
    are and counted (by state, with their payrolls); lines of payrolls exported, reconciled or cancelled are never
    touched. Returns the lines changed and those kept."""
    lines = home_lines(home)
    drafts = list(
        Payroll.objects.select_for_update()
        .filter(state=PayrollState.DRAFT, pk__in=lines.values("payroll_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    changed = lines.filter(payroll_id__in=drafts)
    updated = changed.update(account=home.bank_account, account_holder=home.account_holder)
    problem = account_problem(home.bank_account or "")
    if problem and updated:
        flagged = Anomaly.objects.filter(kind=AnomalyKind.ACCOUNT, status=AnomalyStatus.OPEN).values("line_id")
        Anomaly.objects.bulk_create(
            Anomaly(payroll_id=payroll_id, line_id=line_id, kind=AnomalyKind.ACCOUNT, detail=problem)
            for line_id, payroll_id in changed.exclude(pk__in=flagged).order_by("pk").values_list("pk", "payroll_id")
        )
    kept = {state: LinesKept() for state in SEEN}
    for state, payroll_id, n in (
        lines.filter(payroll__state__in=SEEN)
        .values_list("payroll__state", "payroll_id")
        .annotate(n=Count("id"))
        .order_by("payroll_id")
    ):
        kept[state].lines += n
        kept[state].payrolls.append(payroll_id)
    return updated, kept
