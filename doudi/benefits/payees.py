"""Payroll lines paid to someone other than the household: a funeral waiver's line carries the funeral home's
account and name (called by payroll generation, in its transaction, before the bank file can exist)."""

from __future__ import annotations

from doudi.payments.models import Payroll, PayrollLine

from .models import Payee


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
