"""Which months' figures changed since a snapshot (``Snapshot``, computed in the background) was computed, so a
snapshot is used only while nothing it was computed from has changed since.

A change touches the figures of the month its data is dated in and of every month after (their previous period and
year to date), not those before: a case decided today changes this month's applications, not last month's report.
So the caseworkers' day does not send last month's figures page and monthly report back to computing them at a
million households; a change dated back (a termination from an earlier month, a payroll of an earlier month
approved late, parameters in force from an earlier date) does. Where a change also rewrites what earlier months
count, its month is taken from there: a case event from the month the case was accepted (a withdrawal leaves it out
of the months it was open), an amount change from its enrolment's first month (the people it counts), an accepted
transfer from the beginning (the household's enrolments and cases move township in every month).

Each check reads the rows recorded since the snapshot, found from the newest key recorded before it (keys grow
with time): as many rows as were recorded since, whatever the table's size."""

from __future__ import annotations

import datetime as dt

from django.db.models import Min, Q

from doudi.benefits.models import Transfer, TransferState
from doudi.cases.models import CaseEvent, ChangeKind, EnrolmentChange, Overpayment
from doudi.payments.models import BankReturn, Payroll, Recovery
from doudi.programmes.models import ParameterVersion

EVERY_MONTH = dt.date(1900, 1, 1)
# amount changes may change the people an enrolment counts, which its first month's "people added" reads
RECOUNTED = (ChangeKind.INCREASE, ChangeKind.DECREASE)


def _since(model, field: str, t: dt.datetime):
    """The rows of ``model`` recorded after ``t`` (``field`` the time recorded): those above the newest key recorded
    at or before it, found by reading the key index backwards from the end."""
    before = model.objects.filter(**{f"{field}__lte": t}).order_by("-pk").values_list("pk", flat=True).first()
    return model.objects.filter(pk__gt=before) if before is not None else model.objects.all()


def _first(*dates) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return min(known).replace(day=1) if known else None


def payments_changed_since(t: dt.datetime) -> dt.date | None:
    """The first month whose money changed after ``t`` (a payroll approved, a bank return imported: a returned line
    is money not paid), or None."""
    return _first(
        Payroll.objects.filter(approved_at__gt=t).aggregate(m=Min("month"))["m"],
        _since(BankReturn, "imported_at", t).aggregate(m=Min("payroll__month"))["m"],
    )


def data_changed_since(t: dt.datetime) -> dt.date | None:
    """The first month whose catalogue figures changed after ``t``, or None: the payments, an overpayment or a
    recovery recorded, a case moved, an enrolment started, changed or ended, parameters approved, a household's
    transfer to another township accepted."""
    events = _since(CaseEvent, "at", t).aggregate(on=Min("on"), accepted=Min("case__accepted_on"))
    changes = _since(EnrolmentChange, "at", t).aggregate(
        m=Min("from_month"), recounted=Min("enrolment__start_month", filter=Q(kind__in=RECOUNTED))
    )
    moved = Transfer.objects.filter(state=TransferState.ACCEPTED, decided_at__gt=t).exists()
    return _first(
        payments_changed_since(t),
        EVERY_MONTH if moved else None,
        events["on"],
        events["accepted"],
        changes["m"],
        changes["recounted"],
        _since(Overpayment, "created_at", t).aggregate(m=Min("raised_on"))["m"],
        _since(Recovery, "created_at", t).aggregate(m=Min("recovered_on"))["m"],
        ParameterVersion.objects.filter(approved_at__gt=t).aggregate(m=Min("effective_from"))["m"],
    )
