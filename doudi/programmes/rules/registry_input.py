"""Build the rules' HouseholdInput from the registry: one household (page, API), or many at once with a fixed
number of queries per batch (batch evaluation). Both paths must give the same input — a property test checks."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from doudi.core.fields import EncryptedTextField
from doudi.registry import models as rm
from doudi.registry.choices import PERSON_STATUS_FLAGS

from .inputs import Assets, BusinessRole, Expense, HouseholdInput, Income, Member, SupporterInfo, Vehicle


def _member(m: rm.Membership, index: int, incomes, expenses) -> Member:
    p = m.person
    return Member(
        name=p.name,
        birth_date=p.birth_date,
        relation=m.relation,
        status=tuple(f for f in PERSON_STATUS_FLAGS if getattr(p, f)),
        died_on=p.died_on,
        student=p.student,
        labour_capacity=p.labour_capacity,
        disability_kind=p.disability_kind or None,
        disability_grade=p.disability_grade,
        serious_illness=p.serious_illness,
        adl_unable=p.adl_unable,
        applicant=m.relation == "head",
        incomes=incomes,
        expenses=expenses,
        index=index,
        person_id=p.pk,
    )


def _assemble(h: rm.Household, memberships, incomes, expenses, financial, vehicles, homes, roles, supporters):
    memberships = sorted(memberships, key=lambda m: (m.relation != "head", m.id))
    by_person_income = defaultdict(list)
    head_id = memberships[0].person_id if memberships else None
    for i in sorted(incomes, key=lambda r: r.id):
        # household-level incomes (no member named) are the head's for the rules
        by_person_income[i.person_id or head_id].append(Income(i.kind, i.monthly, i.support_from))
    by_person_expense = defaultdict(list)
    for e in sorted(expenses, key=lambda r: r.id):
        by_person_expense[e.person_id or head_id].append(Expense(e.kind, e.monthly))
    members = [
        _member(m, idx, by_person_income[m.person_id], by_person_expense[m.person_id])
        for idx, m in enumerate(memberships)
    ]
    return HouseholdInput(
        hukou_type=h.hukou_type,
        members=members,
        area=h.area_id,
        hukou_in_county=not h.hukou_place,
        residence_permit=bool(h.hukou_place) and h.residence_permit,
        household_id=h.pk,
        assets=Assets(
            financial=sum((a.amount for a in financial), Decimal("0")),
            vehicles=[Vehicle(v.value, v.purpose) for v in sorted(vehicles, key=lambda r: r.id)],
            homes=[x.floor_area_m2 for x in sorted(homes, key=lambda r: r.id)],
            business_roles=[BusinessRole(b.role, b.employees) for b in sorted(roles, key=lambda r: r.id)],
        ),
        supporters=[SupporterInfo(s.able, s.reason) for s in sorted(supporters, key=lambda r: r.id)],
    )


def sealed(model, prefix: str = "") -> list[str]:
    """The model's encrypted fields (``prefix``: the path to it), which the rules never read: a batch leaves them
    unread instead of decrypting every member's ID number and card (about a tenth of a batch's time)."""
    return [f"{prefix}{f.name}" for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def household_input(h: rm.Household) -> HouseholdInput:
    """One household, straight from its relations."""
    memberships = list(
        h.memberships.filter(end_date__isnull=True).select_related("person").defer(*sealed(rm.Person, "person__"))
    )
    return _assemble(
        h,
        memberships,
        h.incomes.all(),
        h.expenditures.all(),
        h.financial_assets.all(),
        h.vehicles.all(),
        h.homes.all(),
        h.business_roles.all(),
        h.supporters.defer(*sealed(rm.Supporter)),
    )


def household_inputs(households: list[rm.Household]) -> list[HouseholdInput]:
    """Many households with one query per table."""
    ids = [h.pk for h in households]

    def grouped(qs):
        out = defaultdict(list)
        for row in qs:
            out[row.household_id].append(row)
        return out

    memberships = grouped(
        rm.Membership.objects.filter(household_id__in=ids, end_date__isnull=True)
        .select_related("person")
        .defer(*sealed(rm.Person, "person__"))
    )
    tables = [
        grouped(model.objects.filter(household_id__in=ids).defer(*sealed(model)))
        for model in (rm.Income, rm.Expenditure, rm.FinancialAsset, rm.Vehicle, rm.Home, rm.BusinessRole, rm.Supporter)
    ]
    return [_assemble(h, memberships[h.pk], *(t[h.pk] for t in tables)) for h in households]
