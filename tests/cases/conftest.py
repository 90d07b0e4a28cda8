import datetime as dt
from decimal import Decimal

import pytest

from doudi.accounts.actions import staff_create
from doudi.cases import workflow as wf
from doudi.cases.actions import application_submit, case_move
from doudi.cases.models import Case, CaseEvent, ChangeKind, Enrolment, EnrolmentChange
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.pack import DEMO_PACK
from doudi.registry.actions import record_add

from ..conftest import PASSWORD, member

D = dt.date(2026, 3, 2)  # a Monday after Spring Festival 2026


@pytest.fixture
def people(staff):
    def make(username, role, area):
        return staff_create(
            actor=None, username=username, password=PASSWORD, role=role, area_code=area, check_password=False
        )

    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    return {
        **staff,
        "caseworker_a2": make("cw_a2", "township_caseworker", "511425101000"),
        "ts_reviewer": make("tsr_a", "township_reviewer", "511425101000"),
        "county_reviewer": make("creviewer", "county_reviewer", "511425000000"),
        "approver2": make("approver2", "county_approver", "511425000000"),
    }


@pytest.fixture
def poor_household(register, staff):
    h = register(
        members=[
            member("张大山", "1970-03-02", 11, "head"),
            member("李秀英", "1972-06-15", 22, "spouse"),
            member("张小山", "2012-01-01", 33, "child", student=True),
        ]
    )
    head = h.memberships.get(relation="head").person
    record_add(
        actor=staff["caseworker_a"],
        household=h,
        kind="incomes",
        data={"person": head.pk, "kind": "wage", "monthly": "500.00"},
    )
    return h


@pytest.fixture
def apply(people, poor_household):
    def _apply(programmes=("dibao",), materials=("authorisation", "pledge", "id_copy", "income_proof"), **kw):
        head = poor_household.memberships.get(relation="head").person
        kw.setdefault("actor", people["caseworker_a"])
        app = application_submit(
            household=poor_household, applicant=head, programmes=list(programmes), materials=list(materials), on=D, **kw
        )
        return app

    return _apply


def walk(case, people, until="approved", on=D):
    """Take a case along the ordinary path with the right person at each step."""
    steps = [
        ("accept", "caseworker_a", {}),
        (
            "record_survey",
            "caseworker_a",
            {
                "surveyors": [people["caseworker_a"].pk, people["caseworker_a2"].pk],
                "findings": "家中无其他收入",
                "applicant_confirmed": True,
                "surveyors_confirmed": True,
            },
        ),
        ("request_verification", "caseworker_a", {}),
        ("attach_verification", "county_reviewer", {"results": "与申报一致"}),
        ("township_opinion", "ts_reviewer", {"opinion": "同意", "recommends": True}),
        ("start_notice", "caseworker_a", {}),
        ("submit_to_county", "caseworker_a", {}),
        ("approve", "approver", {}),
    ]
    day = on
    from doudi.cases.workflow import MOVES

    for move, who, data in steps:
        if case.state not in MOVES[move].sources:
            continue  # e.g. a review case starts accepted
        if move == "submit_to_county":
            day = case.notice_end
        case = case_move(actor=people[who], case=case, move=move, data=data, on=day)
        if case.state == until:
            break
    return case


STATES = [
    wf.CaseState.DRAFT,
    wf.CaseState.ACCEPTED,
    wf.CaseState.NOTICING,
    wf.CaseState.TOWNSHIP_REVIEWED,
    wf.CaseState.COUNTY_REVIEW,
    wf.CaseState.APPROVED,
]


@pytest.fixture
def make(register, people):
    """Cases and enrolments made directly (many of them, quickly), in township A (alternately two villages)."""
    households = []

    def household():
        i = len(households)
        h = register(
            area=["511425101201", "511425101001"][i % 2],
            members=[
                member(f"户主{i}", "1960-01-01", 200 + i, "head"),
                member(f"配偶{i}", "1962-01-01", 400 + i, "spouse"),
            ],
        )
        households.append(h)
        return h

    def cases(n):
        out = []
        for i in range(n):
            h = household()
            c = Case.objects.create(
                programme_id="dibao",
                household=h,
                applicant=h.memberships.first().person,
                area_code=h.area_id,
                state=STATES[i % len(STATES)],
                created_by=people["caseworker_a"],
                flagged=i % 3 == 0,
                complaint=i % 4 == 0,
                township_recommends=[None, True, False][i % 3],
                state_since=D,
                step_due=D + dt.timedelta(days=i - 3),
                total_due=D + dt.timedelta(days=30),
                notice_start=D,
                notice_end=D + dt.timedelta(days=7),
                notice_amount=Decimal("100.00") + i,
            )
            CaseEvent.objects.create(
                case=c, on=D, actor=people["caseworker_a"], move="create", from_state="", to_state=c.state
            )
            out.append(c)
        return out

    def enrolments(n, **kw):
        out = []
        for c in cases(n):
            e = Enrolment.objects.create(
                programme_id=c.programme_id,
                household=c.household,
                case=c,
                area_code=c.area_code,
                start_month=dt.date(2026, 4, 1),
                monthly_amount=Decimal("240.00"),
                review_category="stable",
                next_review_due=dt.date(2027, 3, 1),
                **kw,
            )
            EnrolmentChange.objects.create(
                enrolment=e,
                kind=ChangeKind.START,
                from_month=e.start_month,
                new_amount=e.monthly_amount,
                reason="批准纳入",
            )
            out.append(e)
        return out

    return {"cases": cases, "enrolments": enrolments}
