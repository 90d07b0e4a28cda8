"""Fixtures shared by the medical tests: ``county`` (张大山's dibao household in township A, 王老汉 on tekun in
township B, a finance officer) and the settlement file's helpers."""

import datetime as dt
from decimal import Decimal

import pytest

from doudi.cases.models import Case, Enrolment, EnrolmentChange, ReviewCategory
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.pack import DEMO_PACK

from ..conftest import county_finance, make_id, member

HEADER = "结算单号,姓名,身份证号,医院名称,入院日期,出院日期,医疗总费用,医保报销,政策范围内自付,重特大疾病"
ZHANG = make_id("1975-03-02", 11)
LI = make_id("1978-06-15", 22)
WANG = make_id("1950-01-01", 33)


def enrol(h, programme, approver, person=None):
    case = Case.objects.create(
        programme_id=programme,
        household=h,
        applicant=person or h.memberships.get(relation="head").person,
        area_code=h.area_id,
        state="approved",
        created_by=approver,
    )
    e = Enrolment.objects.create(
        programme_id=programme,
        household=h,
        person=person,
        case=case,
        area_code=h.area_id,
        start_month=dt.date(2026, 1, 1),
        monthly_amount=Decimal("300.00"),
        counted_members=2,
        review_category=ReviewCategory.STABLE,
        next_review_due=dt.date(2027, 1, 1),
    )
    EnrolmentChange.objects.create(
        enrolment=e, kind="start", from_month=e.start_month, new_amount=e.monthly_amount, reason="纳入"
    )
    return e


@pytest.fixture
def county(staff, register):
    """张大山's dibao household in 汉阳镇 (township A), 王老汉 alone on tekun in 瑞峰镇 (township B)."""
    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    approver = staff["approver"]
    a = register()
    enrol(a, "dibao", approver)
    b = register(
        actor=staff["caseworker_b"],
        area="511425102201",
        members=[member("王老汉", "1950-01-01", 33, "head")],
        bank_account="6217000011119999333",
    )
    enrol(b, "tekun", approver, person=b.memberships.get().person)
    fin = county_finance()
    return {"a": a, "b": b, "approver": approver, "finance": fin, **staff}


def csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode()
