import datetime as dt

import pytest

from doudi.accounts.actions import staff_create
from doudi.cases.actions import application_submit, case_move
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
