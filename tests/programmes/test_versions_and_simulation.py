import datetime as dt
from decimal import Decimal

import pytest

from doudi.accounts.actions import staff_create
from doudi.audit.models import AuditEvent
from doudi.core.errors import ApplicationError, NotFound, PermissionDenied
from doudi.programmes.actions import parameter_version_approve, parameter_version_create
from doudi.programmes.batch import evaluation_run
from doudi.programmes.models import EvaluationChange, EvaluationResult, EvaluationRun, ParameterVersion
from doudi.programmes.pack import DIBAO_COMMON

from ..conftest import member
from .test_parameter_forms import form_data


def raise_rural(actor, rural="230.00", on=dt.date(2015, 7, 1)):
    return parameter_version_create(
        actor=actor,
        programme="dibao",
        area_code="511425000000",
        effective_from=on,
        values={"standard_urban": "370.00", "standard_rural": rural, **DIBAO_COMMON},
        note="提标",
    )


def test_new_standard_is_a_version_drafted_approved_and_audited(staff, pack):
    v = raise_rural(staff["approver"])
    assert v.status == "draft"
    with pytest.raises(PermissionDenied) as info:  # nobody approves what they drafted
        parameter_version_approve(actor=staff["approver"], version=v)
    assert info.value.code == "maker_checker"
    with pytest.raises(PermissionDenied):  # a caseworker cannot approve at all
        parameter_version_approve(actor=staff["caseworker_a"], version=v)
    second = staff_create(
        actor=None,
        username="approver2",
        password="x" * 12,
        role="county_approver",
        area_code="511425000000",
        check_password=False,
    )
    parameter_version_approve(actor=second, version=v)
    v.refresh_from_db()
    assert v.status == "approved" and v.approved_by == second
    assert list(
        AuditEvent.objects.filter(target_type="parameterversion", target_id=str(v.pk))
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["parameters.draft", "parameters.approve"]


def test_bad_parameter_values_name_the_field(staff, pack):
    with pytest.raises(ApplicationError) as info:
        raise_rural(staff["approver"], rural="abc")
    assert info.value.field == "standard_rural"
    with pytest.raises(ApplicationError) as info:
        parameter_version_create(
            actor=staff["approver"],
            programme="dibao",
            area_code="511425000000",
            effective_from=dt.date(2015, 7, 1),
            values={"standard_rural": "200"},
        )
    assert info.value.field == "standard_urban"  # county versions must be complete
    with pytest.raises(ApplicationError) as info:
        parameter_version_create(
            actor=staff["approver"],
            programme="dibao",
            area_code="511425101000",
            effective_from=dt.date(2015, 7, 1),
            values={"gradual_exit_months": 7},
        )
    assert info.value.field == "gradual_exit_months"
    assert ParameterVersion.objects.filter(status="draft").count() == 0


@pytest.fixture
def registry(register, staff):
    # A: poor rural family (150 per capita), B: above 190 but below 230 per capita, C: well off
    a = register(
        members=[
            member("甲", "1965-05-01", 1, "head"),
            member("乙", "1967-03-01", 2, "spouse"),
            member("丙", "1999-02-01", 3, "child", student=True),
        ]
    )
    b = register(area="511425102201", actor=staff["caseworker_b"], members=[member("丁", "1960-01-01", 4, "head")])
    c = register(members=[member("戊", "1970-01-01", 5, "head")])
    from doudi.registry.actions import record_add

    head_a = a.memberships.get(relation="head").person
    record_add(
        actor=staff["caseworker_a"],
        household=a,
        kind="incomes",
        data={"person": head_a.pk, "kind": "wage", "monthly": "500.00"},
    )
    record_add(actor=staff["caseworker_b"], household=b, kind="incomes", data={"kind": "business", "monthly": "200.00"})
    record_add(
        actor=staff["caseworker_a"], household=c, kind="incomes", data={"kind": "business", "monthly": "3000.00"}
    )
    return a, b, c


def test_batch_run_stores_results_and_one_audit_event(staff, pack, registry, county_reviewer):
    a, b, c = registry
    run = evaluation_run(actor=county_reviewer, programme="dibao", on=dt.date(2015, 6, 1), keep_all=True)
    results = {r.household_id: r for r in EvaluationResult.objects.filter(run=run)}
    assert results[a.pk].monthly_amount == Decimal("120.00") and results[a.pk].eligible
    assert not results[b.pk].eligible and not results[c.pk].eligible
    assert run.summary["totals"]["eligible_households"] == 1 and run.summary["totals"]["monthly_total"] == "120.00"
    assert AuditEvent.objects.filter(action="evaluation.run", target_id=str(run.pk)).count() == 1


def test_a_plain_run_keeps_the_results_of_its_list(staff, pack, registry, county_reviewer):
    """A plain run keeps the households eligible now or in the run before (its list); the others are counted."""
    from doudi.registry.actions import record_add

    a, b, c = registry
    on = dt.date(2015, 6, 1)
    first = evaluation_run(actor=county_reviewer, programme="dibao", on=on)
    assert set(EvaluationResult.objects.filter(run=first).values_list("household_id", flat=True)) == {a.pk}
    totals = first.summary["totals"]
    assert (first.households, totals["households"], totals["eligible_households"]) == (3, 3, 1)
    assert totals["eligible_people"] == 3 and totals["monthly_total"] == "120.00"
    assert {t["township"]: t["households"] for t in first.summary["townships"]} == {
        "511425101000": 2,
        "511425102000": 1,
    }
    # A's spouse starts work: no longer eligible, but kept (eligible in the run before) with the income now
    spouse = a.memberships.get(relation="spouse").person
    record_add(
        actor=staff["caseworker_a"],
        household=a,
        kind="incomes",
        data={"person": spouse.pk, "kind": "wage", "monthly": "900"},
    )
    second = evaluation_run(actor=county_reviewer, programme="dibao", on=on)
    assert second.base == first
    kept = {r.household_id: r for r in EvaluationResult.objects.filter(run=second)}
    assert set(kept) == {a.pk} and not kept[a.pk].eligible and kept[a.pk].per_capita_income > Decimal("150.00")
    line = EvaluationChange.objects.get(run=second, household=a)
    assert (line.kind, line.before_amount, line.per_capita_income) == (
        "lost",
        Decimal("120.00"),
        kept[a.pk].per_capita_income,
    )
    assert (second.summary["totals"]["households"], second.summary["totals"]["eligible_households"]) == (3, 0)
    # a third run: nobody eligible now or before, nothing kept, every household still counted
    third = evaluation_run(actor=county_reviewer, programme="dibao", on=on)
    assert not EvaluationResult.objects.filter(run=third).exists() and third.households == 3


def test_batch_run_respects_area_scope(staff, pack, registry):
    with pytest.raises(NotFound):  # another township answers as a missing area, and nothing is written
        evaluation_run(actor=staff["caseworker_a"], programme="dibao", on=dt.date(2015, 6, 1), area_prefix="511425102")
    assert not EvaluationRun.objects.exists()
    run = evaluation_run(actor=staff["caseworker_a"], programme="dibao", on=dt.date(2015, 6, 1))
    assert run.area_prefix == "511425101" and run.households == 2
    with pytest.raises(PermissionDenied):  # a write: not for an auditor, a cadre or a finance officer
        evaluation_run(actor=staff["auditor"], programme="dibao", on=dt.date(2015, 6, 1))


def test_simulation_by_township_before_approval(staff, pack, registry):
    a, b, c = registry
    draft = raise_rural(staff["approver"])
    run = evaluation_run(actor=staff["approver"], programme="dibao", on=dt.date(2015, 7, 1), draft=draft, compare=True)
    rows = {t["township"]: t for t in run.summary["townships"]}
    hanyang, ruifeng = rows["511425101000"], rows["511425102000"]
    assert hanyang["change_households"] == 1 and hanyang["change_people"] == 3  # A: 120 → 240
    assert hanyang["budget_before"] == "120.00" and hanyang["budget_after"] == "240.00"
    assert hanyang["budget_difference"] == "120.00"
    assert ruifeng["gain_households"] == 1 and ruifeng["budget_after"] == "30.00"  # B: 230 − 200
    assert run.summary["totals"]["budget_difference"] == "150.00"
    draft.refresh_from_db()
    assert draft.status == "draft"  # nothing approved by simulating
    # decisions still use the approved 190 until the draft is approved
    from doudi.programmes.rules import evaluate
    from doudi.programmes.rules.registry_input import household_input

    assert evaluate("dibao", household_input(a), dt.date(2015, 7, 1)).monthly_amount == Decimal("120.00")


def test_pages(client_for, staff, pack, registry):
    a, _b, _c = registry
    c = client_for(staff["caseworker_a"])
    r = c.get(f"/households/{a.pk}/decision/dibao/", {"on": "2015-06-01"})
    body = r.content.decode()
    assert r.status_code == 200 and "人均收入 = (500.00 − 50.00) ÷ 3 = 150.00 元" in body and "120.00" in body
    assert c.get(f"/households/{a.pk}/decision/tekun/", {"on": "2015-06-01"}).status_code == 200
    assert c.get("/programmes/").status_code == 200
    approver = client_for(staff["approver"])
    r = approver.post("/programmes/versions/new/", form_data(effective_from="2015-07-01", standard_rural="x", note=""))
    assert r.status_code == 200 and "农村低保标准：须为金额" in r.content.decode()
    r = approver.post(
        "/programmes/versions/new/",
        form_data(effective_from="2015-07-01", standard_urban="370.00", standard_rural="230.00"),
    )
    assert r.status_code == 302
    v = ParameterVersion.objects.get(status="draft")
    page = approver.get(f"/programmes/versions/{v.pk}/").content.decode()
    assert "模拟影响" in page and "批准</button>" not in page  # the drafter is not offered approval
    r = approver.post(f"/programmes/versions/{v.pk}/simulate/", {"on": "2015-07-01"})
    assert r.status_code == 302 and r["Location"].startswith("/jobs/")  # a background job (run inline in tests)
    report = approver.get(r["Location"], follow=True).content.decode()  # a finished job's page is its result
    assert "汉阳镇" in report and "150.00" in report
