"""When the data behind the figures last changed, so a snapshot (``Snapshot``, computed in the background) is used
only while nothing it was computed from has changed since. Each answer is a few lookups of a table's newest row by
key, whatever the table's size."""

from __future__ import annotations

from django.db.models import Max

from doudi.cases.models import CaseEvent, EnrolmentChange, Overpayment
from doudi.payments.models import BankReturn, Payroll, Recovery
from doudi.programmes.models import ParameterVersion


def _latest(model, field: str):
    """The newest row's ``field``, by key: an index lookup whatever the table's size (keys grow with time)."""
    return model.objects.order_by("-pk").values_list(field, flat=True).first()


def _newest(*times):
    known = [t for t in times if t is not None]
    return max(known) if known else None


def payments_changed_at():
    """When the money the dashboards draw last changed: a payroll approved, or a bank return imported (a returned
    line is money not paid)."""
    return _newest(Payroll.objects.aggregate(t=Max("approved_at"))["t"], _latest(BankReturn, "imported_at"))


def data_changed_at():
    """When anything behind the catalogue's figures last changed: the payments, an overpayment or a recovery
    recorded, a case moved, an enrolment started, changed or ended, parameters approved."""
    return _newest(
        payments_changed_at(),
        _latest(Overpayment, "created_at"),
        _latest(Recovery, "created_at"),
        _latest(CaseEvent, "at"),
        _latest(EnrolmentChange, "at"),
        ParameterVersion.objects.aggregate(t=Max("approved_at"))["t"],
    )
