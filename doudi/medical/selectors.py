"""Reads of medical assistance, always area-scoped (doudi/accounts/scope.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum

from doudi.accounts import scope
from doudi.core.money import ZERO

from .models import PremiumSubsidy, Settlement


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
    qs = scope.visible(user, "medical.DisabilityCertificate").select_related("person", "household")
    return qs.filter(state=state) if state else qs
