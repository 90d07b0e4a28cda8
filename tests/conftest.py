from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from doudi.accounts.actions import staff_create
from doudi.areas.models import Area
from doudi.core.idnumber import id_make

PASSWORD = "Test-password-2026"

# The longest test files (measured: `pytest --durations`), run first: `make test` shares whole files out to a
# process per core in collection order, and a run that meets its longest file last ends waiting on it alone
# (the leak matrix alone takes almost five minutes).
LONGEST_FIRST = (
    "tests/test_leak_matrix.py",
    "tests/test_demo.py",
    "tests/test_schemathesis.py",
    "tests/payments/test_kill.py",
    "tests/test_language_crawl.py",
    "tests/programmes/test_cli_api.py",
    "tests/benefits/test_funeral.py",
    "tests/test_demo_at_rest.py",
    "tests/matching/test_spark.py",
    "tests/statistics/test_summary_demo.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    rank = {path: n for n, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable: the rest as collected


# Text that a spreadsheet would run as a formula, or that reportlab would read as markup, if written unescaped.
FORMULAS = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)"]
HOSTILE = [*FORMULAS, "<img src='/etc/passwd'/>", "<script>alert(1)</script>", "&amp;"]


@pytest.fixture(scope="session", autouse=True)
def _subprocesses_share_the_key_file():
    """`doudi` commands the tests start in their own process (workers, killed jobs, restores) read and write the
    same sealed data as the tests: they get the tests' key file."""
    from django.conf import settings

    os.environ["DOUDI_KEY_FILE"] = str(settings.DOUDI_KEY_FILE)
    yield


def make_id(birth: str, seq: int) -> str:
    return id_make("511425", dt.date.fromisoformat(birth), seq)


@pytest.fixture
def areas(db):
    """A small county: township A (one village, one community) and township B (one village)."""

    def add(code, name, level, kind, parent):
        return Area.objects.create(code=code, name=name, level=level, kind=kind, parent_id=parent)

    add("511425000000", "青神县", "county", "rural", None)
    add("511425101000", "汉阳镇", "township", "rural", "511425000000")
    add("511425101201", "东风村", "village", "rural", "511425101000")
    add("511425101001", "汉阳社区", "village", "urban", "511425101000")
    add("511425102000", "瑞峰镇", "township", "rural", "511425000000")
    add("511425102201", "南河村", "village", "rural", "511425102000")
    return {a.code: a for a in Area.objects.all()}


def county_finance(username: str = "fin"):
    """A finance officer of the county (the payrolls' generator), for tests that pay."""
    return staff_create(
        actor=None,
        username=username,
        password=PASSWORD,
        role="finance_officer",
        area_code="511425000000",
        check_password=False,
    )


def township_reviewer(username: str = "tr_a", area: str = "511425101000"):
    """A township reviewer (汉阳镇's by default): approves small grants, submits to the county."""
    return staff_create(
        actor=None,
        username=username,
        password=PASSWORD,
        role="township_reviewer",
        area_code=area,
        full_name=username,
        check_password=False,
    )


@pytest.fixture
def staff(areas):
    def make(username, role, area):
        return staff_create(
            actor=None,
            username=username,
            password=PASSWORD,
            role=role,
            area_code=area,
            full_name=username,
            check_password=False,
        )

    return {
        "admin": make("admin", "system_admin", "511425000000"),
        "caseworker_a": make("cw_a", "township_caseworker", "511425101000"),
        "caseworker_b": make("cw_b", "township_caseworker", "511425102000"),
        "cadre_a": make("cadre_a", "village_cadre", "511425101201"),
        "auditor": make("auditor", "auditor", "511425000000"),
        "approver": make("approver", "county_approver", "511425000000"),
    }


@pytest.fixture
def county_reviewer(staff):
    """A county reviewer: drafts parameter versions and runs the county's evaluations (work the former bureau
    administrator also did)."""
    return staff_create(
        actor=None,
        username="c_reviewer",
        password=PASSWORD,
        role="county_reviewer",
        area_code="511425000000",
        full_name="c_reviewer",
        check_password=False,
    )


def member(name, birth, seq, relation, **extra):
    return {"name": name, "id_number": make_id(birth, seq), "relation": relation, **extra}


def enrolment_direct(
    household, programme, amount, start, *, created_by, person=None, counted=1, mode="", once=False, history=()
):
    """An approved case and its enrolment, written directly (the procedure is tested elsewhere), with its amount
    history: the start, then ``history``'s (kind, from month, new amount) changes. ``once``: a one-off, paid in
    ``start`` only."""
    from decimal import Decimal

    from doudi.cases.models import Case, ChangeKind, Enrolment, EnrolmentChange

    case = Case.objects.create(
        programme_id=programme,
        household=household,
        applicant=household.memberships.get(relation="head").person,
        area_code=household.area_id,
        created_by=created_by,
        state="approved",
    )
    e = Enrolment.objects.create(
        programme_id=programme,
        household=household,
        person=person,
        case=case,
        area_code=household.area_id,
        start_month=start,
        end_month=start if once else None,
        monthly_amount=Decimal(amount),
        counted_members=counted,
        review_category="stable",
        next_review_due=dt.date(2027, 1, 1),
        support_mode=mode,
    )
    EnrolmentChange.objects.create(
        enrolment=e, kind=ChangeKind.START, from_month=start, new_amount=Decimal(amount), reason="纳入"
    )
    for kind, month, new in history:
        EnrolmentChange.objects.create(enrolment=e, kind=kind, from_month=month, new_amount=Decimal(new), reason=kind)
    return e


@pytest.fixture
def register(staff):
    from doudi.registry.actions import household_register

    def _register(actor=None, area="511425101201", members=None, **data):
        members = members or [member("张大山", "1975-03-02", 11, "head"), member("李秀英", "1978-06-15", 22, "spouse")]
        return household_register(
            actor=actor or staff["caseworker_a"],
            area_code=area,
            data={"hukou_type": "rural", "phone": "13800001111", "bank_account": "6217000011112222333", **data},
            members=members,
        )

    return _register


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(scope="session", autouse=True)
def _no_stray_database_sessions(django_db_setup, django_db_blocker):
    """The live server of the browser tests answers in threads with their own connections; one can still be
    open when the run ends, and PostgreSQL then refuses to drop the test database. Close them before it does."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


# Debian's Chromium, driven by Playwright (its own browser download does not work here)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is required for the browser tests (make test installs it)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


# the three separated administrators (三员分立): the system one is the staff fixture's admin
@pytest.fixture
def admins(staff):
    def make(username, role):
        return staff_create(
            actor=None,
            username=username,
            password=PASSWORD,
            role=role,
            area_code="511425000000",
            full_name=username,
            check_password=False,
        )

    return {
        "system": staff["admin"],
        "security": make("secadmin", "security_admin"),
        "audit": make("auditadmin", "audit_admin"),
    }
