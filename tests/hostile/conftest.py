"""A small county with one of everything a page or an endpoint can be about, the hostile values thrown at it,
and the row counts that must not move when the answer is an error."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import strategies as st

from doudi.accounts.actions import staff_create, token_create
from doudi.cases.documents import document_attach
from doudi.cases.models import Enrolment
from doudi.payments.generation import payroll_generate
from doudi.programmes.actions import parameter_version_create

from ..cases.conftest import apply, people, poor_household, walk  # noqa: F401
from ..conftest import PASSWORD

# Values nobody should be able to get a server error with: huge, tiny and non-finite numbers, exponent
# notation, negative offsets, far and impossible dates, markup, formula prefixes, control characters, very
# long text, and other scripts.
HOSTILE_TEXT = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "1e400",
    "1e999999",
    "-1e400",
    "NaN",
    "Infinity",
    "-Infinity",
    "0.001",
    "1,000.555",
    "9" * 30,
    str(2**63),
    str(2**64),
    "-" + str(2**63),
    "99999999999999999999999",
    "0x10",
    "١٢٣",
    "１２３",
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "2026-02-30",
    "99999-01-01",
    "2026-13",
    "9999-12",
    "0000-00",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7|add:7 }}",
    "{% debug %}",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "@SUM(A1:A9)",
    "-2+3",
    "' OR 1=1 --",
    "../../etc/passwd",
    "a\x00b",
    "\x00",
    "line\r\nbreak",
    "\u202eevil",
    "\ufeffbom",
    "😀" * 3,
    "张" * 5000,
    "x" * 100_000,
    "null",
    "true",
    "[]",
    "{}",
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_TEXT), st.text(max_size=40), st.integers(min_value=-(2**70), max_value=2**70).map(str)
)
# JSON values of the wrong type as well (lists where an object is expected, null, numbers where text is …).
hostile_json = st.one_of(
    hostile_text,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just(1e308),
    st.just([]),
    st.just({}),
    st.lists(st.integers(), max_size=3),
    st.just({"a": [None]}),
)


def main_models():
    from django.apps import apps

    names = [
        "registry.Household",
        "registry.Person",
        "registry.Membership",
        "registry.Income",
        "registry.Expenditure",
        "registry.FinancialAsset",
        "registry.Vehicle",
        "registry.Home",
        "registry.BusinessRole",
        "registry.Supporter",
        "cases.Application",
        "cases.Referral",
        "cases.Case",
        "cases.CaseEvent",
        "cases.Document",
        "cases.Enrolment",
        "cases.EnrolmentChange",
        "cases.ChangeReport",
        "cases.Overpayment",
        "payments.Payroll",
        "payments.PayrollLine",
        "payments.LedgerEntry",
        "payments.Recovery",
        "payments.BankReturn",
        "programmes.ParameterVersion",
        "programmes.EvaluationRun",
        "areas.Area",
        "accounts.Staff",
        "accounts.ApiToken",
        "core.CalendarDay",
        "audit.AuditEvent",
    ]
    return [apps.get_model(n) for n in names]


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in main_models()}


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def world(people, apply, poor_household):  # noqa: F811
    """Staff of every role, a registered household with a record, an approved case with its enrolment, a
    draft application, a payroll, a draft parameter version, a document, API tokens."""
    admin, caseworker = people["admin"], people["caseworker_a"]
    security = staff_create(
        actor=None, username="sec1", password=PASSWORD, role="security_admin", area_code="511425000000"
    )
    audit = staff_create(actor=None, username="aud1", password=PASSWORD, role="audit_admin", area_code="511425000000")
    finance = staff_create(
        actor=None,
        username="fin1",
        password=PASSWORD,
        role="finance_officer",
        area_code="511425000000",
        check_password=False,
    )
    case = walk(apply().cases.get(), people)
    draft = apply(programmes=("tekun",)).cases.get()
    payroll = payroll_generate(actor=finance, programme="dibao", month=dt.date(2026, 5, 1))
    version = parameter_version_create(
        actor=people["county_reviewer"],
        programme="dibao",
        area_code="511425101000",
        effective_from=dt.date(2026, 7, 1),
        values={"standard_rural": "800.00"},
    )
    document = document_attach(actor=caseworker, case=draft, kind="other", filename="a.png", content=PNG)
    person = poor_household.memberships.filter(end_date__isnull=True).first().person
    return {
        "people": people,
        "admin": admin,  # the system administrator
        "security": security,
        "audit": audit,
        "county": people["county_reviewer"],
        "caseworker": caseworker,
        "finance": finance,
        "household": poor_household,
        "person": person,
        "case": case,
        "draft": draft,
        "enrolment": Enrolment.objects.get(case=case),
        "payroll": payroll,
        "version": version,
        "document": document,
        "income_id": poor_household.incomes.first().pk,
        "tokens": {
            "admin": token_create(actor=admin, name="hostile")[1],
            "security": token_create(actor=security, name="hostile")[1],
            "audit": token_create(actor=audit, name="hostile")[1],
            "county": token_create(actor=people["county_reviewer"], name="hostile")[1],
            "caseworker": token_create(actor=caseworker, name="hostile")[1],
        },
    }
