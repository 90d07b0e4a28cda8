import datetime as dt
from decimal import Decimal

import pytest
from stdnum import luhn

from doudi.accounts.actions import staff_create
from doudi.cases.models import ChangeKind, Enrolment, EnrolmentChange

from ..cases.conftest import apply, people, poor_household, walk  # noqa: F401
from ..conftest import PASSWORD, enrolment_direct, member


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
            actor=people["caseworker_b"] if area.startswith("511425102") else None,  # the township's own caseworker
            area=area,
            members=[member(f"户主{n}", "1960-01-01", 100 + n, "head")],
            bank_account=account if account is not None else card(n),
        )
        return enrolment_direct(
            h, programme, amount, start, created_by=people["caseworker_a"], person=person, history=history
        )

    return _enrol


@pytest.fixture
def bulk_enrol(people):
    """``n`` households of one head each, enrolled in dibao from ``start``, written with a few bulk inserts
    whatever ``n`` is (the registry's actions are tested elsewhere; here only the payroll's size matters)."""
    from doudi.cases.models import Case
    from doudi.registry.models import Household, Membership, Person

    counter = {"n": 0}

    def _bulk(n, *, start=dt.date(2026, 1, 1), amount="240.00", area="511425101201"):
        first = counter["n"] + 1
        counter["n"] += n
        seqs = range(first, first + n)
        persons = Person.objects.bulk_create(
            [
                Person(name=f"批量{i}", id_number=f"5114251960{i:08d}", sex="M", birth_date=dt.date(1960, 1, 1))
                for i in seqs
            ]
        )
        households = Household.objects.bulk_create(
            [
                Household(
                    area_id=area,
                    hukou_type="rural",
                    bank_account=card(50_000 + i),
                    account_holder=p.name,
                    head_name=p.name,
                    member_count=1,
                    bank_account_problem="",
                )
                for i, p in zip(seqs, persons)
            ]
        )
        Membership.objects.bulk_create(
            [Membership(person=p, household=h, relation="head", start_date=start) for p, h in zip(persons, households)]
        )
        cases = Case.objects.bulk_create(
            [
                Case(
                    programme_id="dibao",
                    household=h,
                    applicant=p,
                    area_code=area,
                    state="approved",
                    created_by=people["caseworker_a"],
                )
                for p, h in zip(persons, households)
            ]
        )
        enrolments = Enrolment.objects.bulk_create(
            [
                Enrolment(
                    programme_id="dibao",
                    household=h,
                    case=c,
                    area_code=area,
                    start_month=start,
                    monthly_amount=Decimal(amount),
                    counted_members=1,
                    review_category="stable",
                    next_review_due=dt.date(2027, 1, 1),
                )
                for h, c in zip(households, cases)
            ]
        )
        EnrolmentChange.objects.bulk_create(
            [
                EnrolmentChange(
                    enrolment=e, kind=ChangeKind.START, from_month=start, new_amount=Decimal(amount), reason="纳入"
                )
                for e in enrolments
            ]
        )
        return enrolments

    return _bulk
