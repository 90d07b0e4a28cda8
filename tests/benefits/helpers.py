"""Helpers shared by the benefits tests (plain functions; the fixtures are in conftest.py)."""

import datetime as dt
from decimal import Decimal

from doudi.benefits.models import ElderlyRoster
from doudi.benefits.rosters import Mark, elderly_roster_confirm
from doudi.cases.models import Case, Enrolment, EnrolmentChange, ReviewCategory


def confirm_all(month, actor):
    """Every village confirms its old-age roster for ``month``, everyone present (doudi/benefits/rosters.py)."""
    for roster in ElderlyRoster.objects.filter(month=month):
        marks = [Mark(pk, "present") for pk in roster.lines.values_list("pk", flat=True)]
        elderly_roster_confirm(actor=actor, roster=roster, marks=marks)


def dibao(h, applicant, amount="300.00", start=dt.date(2026, 1, 1), approver=None):
    """A dibao enrolment as the procedure leaves it (the procedure is tested elsewhere)."""
    case = Case.objects.create(
        programme_id="dibao",
        household=h,
        applicant=applicant,
        area_code=h.area_id,
        state="approved",
        created_by=approver,
    )
    e = Enrolment.objects.create(
        programme_id="dibao",
        household=h,
        case=case,
        area_code=h.area_id,
        start_month=start,
        monthly_amount=Decimal(amount),
        counted_members=2,
        review_category=ReviewCategory.STABLE,
        next_review_due=dt.date(2027, 1, 1),
    )
    EnrolmentChange.objects.create(
        enrolment=e, kind="start", from_month=start, new_amount=Decimal(amount), reason="纳入"
    )
    return e
