import datetime as dt
from decimal import Decimal

import pytest
from stdnum import luhn

from doudi.accounts.actions import staff_create
from doudi.cases.models import ChangeKind, Enrolment, EnrolmentChange

from ..cases.conftest import apply, people, poor_household, walk  # noqa: F401
from ..conftest import PASSWORD, member


def card(seed: int) -> str:
    body = f"62170000{seed:010d}"
    return body + luhn.calc_check_digit(body)


@pytest.fixture
def finance(people):
    return {
        "f1": staff_create(
            actor=None,
            username="fin1",
            password=PASSWORD,
            role="finance_officer",
            area_code="511425000000",
            check_password=False,
        ),
        "f2": staff_create(
            actor=None,
            username="fin2",
            password=PASSWORD,
            role="finance_officer",
            area_code="511425000000",
            check_password=False,
        ),
    }


@pytest.fixture
def enrol(register, people):
    """Direct enrolments (the workflow is tested elsewhere): amount history as given."""
    counter = {"n": 0}

    def _enrol(
        amount="240.00",
        start=dt.date(2026, 1, 1),
        account=None,
        programme="dibao",
        history=(),
        person=None,
        area="511425101201",
    ):
        counter["n"] += 1
        n = counter["n"]
        h = register(
            area=area,
            members=[member(f"户主{n}", "1960-01-01", 100 + n, "head")],
            bank_account=account if account is not None else card(n),
        )
        from doudi.cases.models import Case

        head = h.memberships.get(relation="head").person
        case = Case.objects.create(
            programme_id=programme,
            household=h,
            applicant=head,
            area_code=h.area_id,
            created_by=people["caseworker_a"],
            state="approved",
        )
        e = Enrolment.objects.create(
            programme_id=programme,
            household=h,
            person=person,
            case=case,
            area_code=h.area_id,
            start_month=start,
            monthly_amount=Decimal(amount),
            counted_members=1,
            review_category="stable",
            next_review_due=dt.date(2027, 1, 1),
        )
        EnrolmentChange.objects.create(
            enrolment=e, kind=ChangeKind.START, from_month=start, new_amount=Decimal(amount), reason="纳入"
        )
        for kind, month, new in history:
            EnrolmentChange.objects.create(
                enrolment=e, kind=kind, from_month=month, new_amount=Decimal(new), reason=kind
            )
        return e

    return _enrol
