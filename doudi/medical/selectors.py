"""Reads of medical assistance, always area-scoped (doudi/accounts/scope.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils import timezone

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.core.money import ZERO
from doudi.core.workdays import WorkCalendar, add_working_days
from doudi.programmes.shapes import SHAPES

from .models import CertificateState, PremiumSubsidy, Settlement


def settlement_list(user, *, year: int | None = None) -> QuerySet:
    qs = scope.visible(user, "medical.Settlement").select_related("person", "household")
    return qs.filter(year=year) if year else qs


def settlement_get(user, pk) -> Settlement:
    return scope.get_visible(
        user, "medical.Settlement", pk, queryset=Settlement.objects.select_related("person", "household", "batch")
    )


def batch_list(user) -> QuerySet:
    return scope.visible(user, "medical.SettlementBatch").select_related("loaded_by")


def premium_list(user, *, year: int) -> QuerySet:
    return scope.visible(user, "medical.PremiumSubsidy").filter(year=year).select_related("person", "household")


@dataclass
class Statement:
    """A person's year of medical assistance (每人年度医疗救助明细): every claim in date order with what it cost,
    what insurance paid, the out-of-pocket, the deductible used, the assistance and the cap left; the premium
    subsidy; and the totals."""

    person: object
    household: object
    year: int
    claims: list
    premium: PremiumSubsidy | None
    total_cost: Decimal
    insurance_paid: Decimal
    in_scope_oop: Decimal
    deductible: Decimal
    assisted: Decimal

    @property
    def total_paid(self) -> Decimal:
        return self.assisted + (self.premium.amount if self.premium else ZERO)


def statement_get(user, person_pk, year: int) -> Statement:
    """The statement of one person the account may see (NotFound otherwise, as for a missing person)."""
    person = scope.person_get(user, person_pk)
    claims = list(
        Settlement.objects.filter(person=person, year=year).select_related("household").order_by("discharged_on", "id")
    )
    premium = PremiumSubsidy.objects.filter(person=person, year=year).first()
    membership = person.memberships.filter(end_date__isnull=True).select_related("household").first()
    return Statement(
        person=person,
        household=membership.household if membership else None,
        year=year,
        claims=claims,
        premium=premium,
        total_cost=sum((c.total_cost for c in claims), ZERO),
        insurance_paid=sum((c.insurance_paid for c in claims), ZERO),
        in_scope_oop=sum((c.in_scope_oop for c in claims), ZERO),
        deductible=sum((c.deductible_applied for c in claims), ZERO),
        assisted=sum((c.amount for c in claims), ZERO),
    )


def year_totals(user, year: int) -> dict:
    qs = settlement_list(user, year=year)
    agg = qs.aggregate(total=Sum("amount"), oop=Sum("in_scope_oop"))
    premiums = premium_list(user, year=year).aggregate(total=Sum("amount"))
    return {
        "claims": qs.count(),
        "assisted": agg["total"] or ZERO,
        "oop": agg["oop"] or ZERO,
        "premiums": premiums["total"] or ZERO,
    }


def certificate_list(user, *, state: str | None = None) -> QuerySet:
    qs = scope.visible(user, "medical.DisabilityCertificate").select_related("person", "household", "batch")
    return qs.filter(state=state) if state else qs


def _step_days(who: str) -> int:
    return next(s.working_days for s in SHAPES["disability"].procedure.steps if s.who == who)


def certificate_due(c, calendar: WorkCalendar) -> dt.date | None:
    """The day the certificate's current step must be done by (domain.md §5c, the procedure's data): the
    federation reviews within 10 working days of the file's import, civil affairs approves within 10 of the
    federation's review. None once decided (or rejected by the federation)."""
    if c.state == CertificateState.IMPORTED:
        return add_working_days(timezone.localtime(c.batch.loaded_at).date(), _step_days("federation"), calendar).due
    if c.state == CertificateState.REVIEWED and c.reviewed_on:
        return add_working_days(c.reviewed_on, _step_days("county"), calendar).due
    return None


def with_due(certificates, today: dt.date) -> list:
    """The certificates, each with ``due`` and ``overdue`` (today past its due day)."""
    out = list(certificates)
    calendar = WorkCalendar.load() if out else None
    for c in out:
        c.due = certificate_due(c, calendar)
        c.overdue = c.due is not None and today > c.due
    return out


def certificates_waiting(user, today: dt.date) -> dict | None:
    """For the home page: the certificates waiting for this person's step (the federation's review, or the county's
    approval) in their area, and how many are past the step's time limit."""
    if user.has_role_perm(Perm.CASE_DECIDE):
        state = CertificateState.REVIEWED
    elif user.has_role_perm(Perm.CASE_COUNTY_REVIEW):
        state = CertificateState.IMPORTED
    else:
        return None
    waiting = with_due(certificate_list(user, state=state).order_by("id")[:500], today)
    if not waiting:
        return None
    return {"state": state, "count": len(waiting), "overdue": sum(1 for c in waiting if c.overdue)}
