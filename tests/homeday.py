"""A day's work for every role, in township A (汉阳镇) and, as its mirror, township B (瑞峰镇): the fixture of the
home-page tests (tests/test_home.py, tests/test_browser_home.py). Everything is made by the system's own actions,
except the enrolments and the overpayment, made directly as the payments tests make them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from doudi.accounts.actions import staff_create
from doudi.audit.actions import access_record
from doudi.cases.actions import application_submit, case_move, change_report_record
from doudi.cases.models import Case, ChangeKind, Enrolment, EnrolmentChange, Overpayment
from doudi.core.money import month_start
from doudi.payments.actions import payroll_check
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine
from doudi.programmes.actions import parameter_version_create
from doudi.programmes.models import ParameterVersion
from doudi.registry.actions import record_add

from .cases.conftest import D, people, walk  # noqa: F401
from .conftest import PASSWORD, member
from .payments.conftest import card

TODAY = timezone.localdate()
THIS_MONTH = month_start(TODAY)
ALL = ["authorisation", "pledge", "id_copy", "income_proof"]
PLACES = {"A": ("511425101000", "511425101201", "汉"), "B": ("511425102000", "511425102201", "瑞")}
NAMES = {
    "accepted": "待调查",
    "verifying": "待核对",
    "verified": "待审核",
    "county_review": "待审批",
    "objected": "有异议",
    "review": "待复核",
    "suspended": "已暂停",
    "death": "有亡故",
}
# the case each role's home page leads to, by how far it has gone: (state reached, who acts next, move)
STEPS = {
    "accepted": ("caseworker", "record_survey"),
    "verifying": ("county_reviewer", "attach_verification"),
    "verified": ("ts_reviewer", "township_opinion"),
    "county_review": ("approver", "approve"),
    "objected": ("caseworker", "record_objection"),
}


def _staff(username, role, area):
    return staff_create(
        actor=None, username=username, password=PASSWORD, role=role, area_code=area, check_password=False
    )


@pytest.fixture
def day(people, register, monkeypatch):  # noqa: F811
    """Cases in each state someone acts on, an incomplete application, an enrolment due for review, a suspended
    one and one whose member died unreported, a checked payroll with a failed line, an open overpayment, a look at
    a full ID number and a draft standard — in A, and the same in B (made by B's own staff).

    THIS_MONTH is read once at import: today stays that day while the test runs, so a run crossing midnight in
    Beijing at a month's turn records what the test expects (the pattern of tests/verification/conftest.py)."""
    original = timezone.localdate
    monkeypatch.setattr(
        "django.utils.timezone.localdate",
        lambda value=None, timezone=None: TODAY if value is None else original(value, timezone),
    )
    finance = {
        "f1": _staff("fin1", "finance_officer", "511425000000"),
        "f2": _staff("fin2", "finance_officer", "511425000000"),
    }
    staff_b = {
        "caseworker": people["caseworker_b"],
        "caseworker2": _staff("cw_b2", "township_caseworker", "511425102000"),
        "ts_reviewer": _staff("tsr_b", "township_reviewer", "511425102000"),
    }
    seq = iter(range(300, 900))
    made: dict = {"A": {}, "B": {}}
    for place, (_township, village, mark) in PLACES.items():
        who = (
            {
                "caseworker": people["caseworker_a"],
                "caseworker2": people["caseworker_a2"],
                "ts_reviewer": people["ts_reviewer"],
            }
            if place == "A"
            else staff_b
        )
        walkers = {
            **people,
            "caseworker_a": who["caseworker"],
            "caseworker_a2": who["caseworker2"],
            "ts_reviewer": who["ts_reviewer"],
        }

        def household(name, *, income="300.00", village=village, who=who, **extra):
            h = register(
                actor=who["caseworker"],
                area=village,
                members=[
                    member(name, "1960-05-05", next(seq), "head"),
                    member(f"{name}妻", "1962-05-05", next(seq), "spouse"),
                ],
                bank_account=card(next(seq)),
                **extra,
            )
            head = h.memberships.get(relation="head").person
            record_add(
                actor=who["caseworker"],
                household=h,
                kind="incomes",
                data={"person": head.pk, "kind": "wage", "monthly": income},
            )
            return h, head

        def case(name, until, who=who, walkers=walkers):
            h, head = household(name)
            app = application_submit(
                actor=who["caseworker"], household=h, applicant=head, programmes=["dibao"], materials=ALL, on=D
            )
            c = app.cases.get()
            if until == "objected":
                c = walk(c, walkers, until="noticing")
                c = case_move(
                    actor=who["caseworker"], case=c, move="record_objection", data={"content": "村民反映有收入"}, on=D
                )
            else:
                c = walk(c, walkers, until=until)
            return c

        cases = {state: case(f"{mark}{NAMES[state]}", state) for state in STEPS}
        h, head = household(f"{mark}缺材料户")
        incomplete = application_submit(
            actor=people["cadre_a"] if place == "A" else who["caseworker"],
            household=h,
            applicant=head,
            programmes=["dibao"],
            channel="village",
            materials=["id_copy"],
            on=D,
        )
        # enrolments: one due for review (with a payroll line the bank returned), one suspended, one whose
        # member died without a report, and an overpayment to recover
        enrolments = {}
        for key in ("review", "suspended", "death"):
            h, head = household(f"{mark}{NAMES[key]}")
            approved = Case.objects.create(
                programme_id="dibao",
                household=h,
                applicant=head,
                area_code=h.area_id,
                created_by=who["caseworker"],
                state="approved",
            )
            e = Enrolment.objects.create(
                programme_id="dibao",
                household=h,
                case=approved,
                area_code=h.area_id,
                start_month=THIS_MONTH,
                monthly_amount=Decimal("240.00"),
                counted_members=2,
                review_category="stable",
                next_review_due=dt.date.today() + dt.timedelta(days=10),
            )
            EnrolmentChange.objects.create(
                enrolment=e,
                kind=ChangeKind.START,
                from_month=e.start_month,
                new_amount=e.monthly_amount,
                reason="批准纳入",
            )
            enrolments[key] = e
        Enrolment.objects.filter(pk__in=[enrolments["suspended"].pk, enrolments["death"].pk]).update(
            next_review_due=dt.date(2030, 1, 1)
        )
        change_report_record(
            actor=who["caseworker"],
            enrolment=enrolments["suspended"],
            kind="whereabouts",
            effective_month=THIS_MONTH,
            details="全家外出，联系不上",
            on=D,
        )
        dead = enrolments["death"].household.memberships.get(relation="spouse").person
        type(dead).objects.filter(pk=dead.pk).update(deceased=True)
        target = enrolments["review"].household.memberships.get(relation="head").person
        access_record(
            actor=who["caseworker"],
            field="id_number",
            target=target,
            area_code=target.memberships.get().household.area_id,
            household_id=enrolments["review"].household_id,
        )
        made[place] = {
            "cases": cases,
            "incomplete": incomplete,
            "enrolments": enrolments,
        }
    # the county's payroll of this month: generated by f1, checked, waiting for f2's approval; a line failed last month
    payroll = payroll_generate(actor=finance["f1"], programme="dibao", month=THIS_MONTH)
    payroll_check(actor=finance["f1"], payroll=payroll)
    PayrollLine.objects.filter(payroll=payroll, enrolment__in=[made[p]["enrolments"]["review"] for p in PLACES]).update(
        status="failed", failure_reason="账户冻结"
    )
    for place, (_t, _v, mark) in PLACES.items():  # after the payroll, which would have offset it
        e = made[place]["enrolments"]["review"]
        made[place]["overpayment"] = Overpayment.objects.create(
            enrolment=e, amount=Decimal("120.00"), reason=f"{mark}迟报收入", created_by=e.case.created_by
        )
    version = parameter_version_create(
        actor=people["county_reviewer"],
        programme="dibao",
        area_code="511425000000",
        effective_from=dt.date(2027, 1, 1),
        values={**ParameterVersion.objects.filter(programme_id="dibao", area_id="511425000000").first().values},
        note="2027年农村低保标准（草稿）",
    )
    return {"made": made, "finance": finance, "payroll": payroll, "version": version, "staff_b": staff_b}
