"""The disability living subsidy follows dibao at a change report as at enrolment (domain.md §5c, issue 15): a
household's income rises, the change report ends its dibao from the month, and its disabled member's living
subsidy stops from the same month, shown on the report with the rule; the preview shows the same and writes
nothing."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from doudi.benefits.actions import benefit_grant
from doudi.benefits.life import household_change_preview, household_change_record
from doudi.cases.amounts import amount_for
from doudi.cases.models import EnrolmentChange, EnrolmentStatus
from doudi.programmes.rules.inputs import Hardship
from doudi.programmes.rules.registry_input import household_input
from doudi.registry.actions import record_add
from doudi.registry.models import Person

from ..conftest import member
from .helpers import dibao

D = Decimal


def test_change_report_ending_dibao_stops_the_living_subsidy_from_the_same_month(setup):
    h = setup["register"](
        members=[
            member("钱有才", "1970-02-02", 61, "head", disability_kind="physical", disability_grade=3),
            member("孙桂兰", "1972-04-04", 62, "spouse"),
        ]
    )
    head = Person.objects.get(name="钱有才")
    d = dibao(h, head, approver=setup["approver"])
    living = benefit_grant(
        actor=setup["approver"],
        programme="disability",
        household=h,
        person=head,
        on=dt.date(2026, 2, 3),
        facts=replace(household_input(h), enrolled=("dibao",)),
    )
    assert living.monthly_amount == D("50.00")  # grade 3: the living subsidy only, as a dibao member
    record_add(
        actor=setup["caseworker"],
        household=h,
        kind="incomes",
        data={"person": head.pk, "kind": "wage", "monthly": "4000.00"},
    )
    args = dict(actor=setup["caseworker"], household=h, kind="income", effective_month=dt.date(2026, 5, 1))
    preview = household_change_preview(**args, details="务工收入增加")
    assert EnrolmentChange.objects.filter(enrolment=living).count() == 1  # the preview wrote nothing
    result = household_change_record(**args, details="务工收入增加")
    by = {e.programme: e for e in result.effects}
    assert [(e.programme, e.outcome) for e in preview.effects] == [(e.programme, e.outcome) for e in result.effects]
    d.refresh_from_db()
    assert amount_for(list(d.changes.order_by("from_month", "id")), dt.date(2026, 5, 1)) == 0  # dibao ends in May
    assert by["disability"].outcome == "stop" and by["disability"].from_month == dt.date(2026, 5, 1)
    assert "随低保" in by["disability"].rule
    living.refresh_from_db()
    assert (living.status, living.end_month) == (EnrolmentStatus.TERMINATED, dt.date(2026, 4, 1))


def test_household_summary_shows_a_one_off_grant_as_an_amount_not_a_month(setup, client_for):
    h = setup["register"]()
    head = Person.objects.get(name="张大山")
    hardship = Hardship("emergency", "房屋失火", D("1000"), D("0"), D("0"), dt.date(2026, 4, 2))
    e = benefit_grant(
        actor=setup["approver"],
        programme="temporary",
        household=h,
        person=head,
        on=dt.date(2026, 4, 7),
        facts=replace(household_input(h), hardship=hardship),
    )
    page = client_for(setup["approver"]).get(f"/households/{h.pk}/").content.decode()
    summary = page[page.index("保障状态") :][:600]
    amount = f"{e.monthly_amount:,.2f}"
    assert f"一次性 {amount} 元（2026-04发放）" in summary and "元/月" not in summary
