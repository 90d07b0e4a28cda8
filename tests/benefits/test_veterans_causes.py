"""Disabled servicemen by cause (因战、因公、因病) on the roster (doudi/benefits/veterans.py): entered with the cause
and paid its column, refused naming the field (a cause for a disabled serviceman, none for the others, illness
only grades 1–6), the county's correction of cause and grade from a month (arrears and overpayments through the
amount history), the API and the pages, and the migrations that carry a running county over without changing
anybody's amount."""

import datetime as dt
import importlib
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db import connection

from doudi.benefits.models import VeteranEntitlement
from doudi.benefits.veterans import veteran_correct, veteran_decide, veteran_enter
from doudi.cases.models import Enrolment, Overpayment
from doudi.core.errors import ApplicationError, Conflict, PermissionDenied
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine
from doudi.programmes.models import ParameterVersion
from doudi.programmes.selectors import params_in_force
from doudi.registry.models import Person

from ..conftest import member

M = dt.date.fromisoformat


def _person(register, staff, name="孙立", seq=71):
    register(members=[member(name, "1960-02-02", seq, "head")], actor=staff["caseworker_a"])
    return Person.objects.get(name=name)


@pytest.mark.parametrize(
    "kwargs,field,zh",
    [
        ({"category": "disabled", "grade": 3}, "cause", "残疾军人须选择伤残性质"),
        ({"category": "disabled", "grade": 3, "cause": "accident"}, "cause", "残疾军人须选择伤残性质"),
        ({"category": "disabled", "grade": 7, "cause": "illness"}, "cause", "伤残性质：因病致残只有一至六级"),
        ({"category": "disabled", "grade": 10, "cause": "illness"}, "cause", "10级不能选“因病”"),
        ({"category": "disabled", "grade": None, "cause": "war"}, "grade", "伤残等级"),
        ({"category": "martyr_family", "grade": None, "cause": "war"}, "cause", "只有残疾军人填写伤残性质"),
    ],
)
def test_entry_refused_naming_the_field(vet, register, kwargs, field, zh):
    person = _person(register, vet["staff"])
    with pytest.raises(ApplicationError) as e:
        veteran_enter(actor=vet["staff"]["caseworker_a"], person=person, start_month=M("2026-01-01"), **kwargs)
    assert e.value.field == field and zh in e.value.zh
    assert not VeteranEntitlement.objects.exists()


@pytest.mark.parametrize(
    "cause,grade,june,august",
    [("war", 6, "3610.00", "3760.00"), ("duty", 6, "3440.00", "3580.00"), ("illness", 6, "3160.00", "3290.00")],
)
def test_each_cause_paid_its_column_with_the_new_table_from_august(vet, cause, grade, june, august):
    v, _h = vet["entitled"]("disabled", grade, start="2026-06-01", cause=cause)
    assert v.cause == cause
    for month, amount in (("2026-06-01", june), ("2026-07-01", june), ("2026-08-01", august)):
        p = payroll_generate(actor=vet["finance"], programme="veterans", month=M(month))
        line = PayrollLine.objects.get(payroll=p, enrolment_id=v.enrolment_id)
        assert line.amount == Decimal(amount), month
    decision = Enrolment.objects.get(pk=v.enrolment_id).case.decision_explanation
    assert decision["members"][0]["cause"] == cause
    step = next(s for s in decision["explanation"] if s["rule"] == "category")
    assert f"{ {'war': '因战', 'duty': '因公', 'illness': '因病'}[cause] }六级残疾军人" in step["zh"]


def test_correcting_the_cause_back_pays_the_difference_as_arrears(vet):
    """Entered on duty, paid June and July; the certificate says war: corrected from June, August's payroll pays
    June's and July's difference and August at the war column."""
    v, _h = vet["entitled"]("disabled", 6, start="2026-06-01")
    fin, approver = vet["finance"], vet["staff"]["approver"]
    for month in ("2026-06-01", "2026-07-01"):
        payroll_generate(actor=fin, programme="veterans", month=M(month))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("doudi.benefits.veterans._today", lambda: M("2026-08-10"))
        veteran_correct(
            actor=approver, entitlement=v, grade=6, cause="war", from_month=M("2026-06-01"), reason="残疾军人证记载因战"
        )
    v.refresh_from_db()
    assert (v.cause, v.grade) == ("war", 6)
    e = Enrolment.objects.get(pk=v.enrolment_id)
    assert e.monthly_amount == Decimal("3760.00")
    p = payroll_generate(actor=fin, programme="veterans", month=M("2026-08-01"))
    line = PayrollLine.objects.get(payroll=p, enrolment_id=v.enrolment_id)
    assert line.current_amount == Decimal("3760.00")
    assert line.arrears_amount == 2 * (Decimal("3610.00") - Decimal("3440.00"))
    assert not Overpayment.objects.filter(enrolment=e).exists()


def test_correcting_to_a_lower_column_records_the_overpayment(vet):
    v, _h = vet["entitled"]("disabled", 3, start="2026-06-01", cause="war")
    fin, approver = vet["finance"], vet["staff"]["approver"]
    payroll_generate(actor=fin, programme="veterans", month=M("2026-06-01"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("doudi.benefits.veterans._today", lambda: M("2026-07-05"))
        veteran_correct(
            actor=approver, entitlement=v, grade=3, cause="illness", from_month=M("2026-06-01"), reason="重新认定"
        )
    e = Enrolment.objects.get(pk=v.enrolment_id)
    assert e.monthly_amount == Decimal("6190.00")
    assert Overpayment.objects.get(enrolment=e).amount == Decimal("7070.00") - Decimal("6190.00")


def test_correction_refused_naming_the_field(vet):
    v, _h = vet["entitled"]("disabled", 8, start="2026-06-01")
    approver, cw = vet["staff"]["approver"], vet["staff"]["caseworker_a"]
    bad = [
        ({"grade": 8, "cause": "illness"}, "cause"),
        ({"grade": 8, "cause": "duty"}, "cause"),  # as recorded
        ({"grade": 8, "cause": "war", "from_month": M("2026-05-01")}, "from_month"),  # before the start
        ({"grade": 8, "cause": "war", "reason": ""}, "reason"),
    ]
    for kwargs, field in bad:
        args = {"from_month": M("2026-06-01"), "reason": "更正", **kwargs}
        with pytest.raises(ApplicationError) as e:
            veteran_correct(actor=approver, entitlement=v, **args)
        assert e.value.field == field, kwargs
    with pytest.raises(PermissionDenied):  # the county corrects
        veteran_correct(actor=cw, entitlement=v, grade=8, cause="war", from_month=M("2026-06-01"), reason="x")
    other, _h = vet["entitled"]("demobilised", start="2026-06-01", name="刘卫东", seq=32)
    with pytest.raises(ApplicationError) as e:
        veteran_correct(actor=approver, entitlement=other, grade=8, cause="war", from_month=M("2026-06-01"), reason="x")
    assert e.value.field == "cause"


def test_a_pending_entry_is_corrected_before_approval(vet, register):
    staff = vet["staff"]
    person = _person(register, staff)
    v = veteran_enter(
        actor=staff["caseworker_a"],
        person=person,
        category="disabled",
        grade=5,
        cause="duty",
        start_month=M("2026-08-01"),
    )
    veteran_correct(
        actor=staff["approver"], entitlement=v, grade=4, cause="war", from_month=M("2026-08-01"), reason="x"
    )
    with pytest.raises(Conflict):
        v2 = VeteranEntitlement.objects.get(pk=v.pk)
        v2.state = "refused"
        v2.save()
        veteran_correct(
            actor=staff["approver"], entitlement=v2, grade=4, cause="duty", from_month=M("2026-08-01"), reason="x"
        )
    v2.state = "pending"
    v2.save()
    done = veteran_decide(actor=staff["approver"], entitlement=v2, approve=True, on=M("2026-08-02"))
    assert Enrolment.objects.get(pk=done.enrolment_id).monthly_amount == Decimal("5880.00")  # war, grade 4


def test_api_enters_with_the_cause_filters_and_corrects(vet, register, client_for):
    staff = vet["staff"]
    person = _person(register, staff)
    cw = client_for(staff["caseworker_a"])

    def post(client, path, body=None):
        return client.post(f"/api/v1{path}", data=body or {}, content_type="application/json")

    body = {"person_id": person.pk, "category": "disabled", "grade": 8, "start_month": "2026-06"}
    missing = post(cw, "/veterans", body)
    assert missing.status_code == 400 and missing.json()["field"] == "cause"
    illness = post(cw, "/veterans", {**body, "cause": "illness"})
    assert illness.status_code == 400 and illness.json()["field"] == "cause"
    assert post(cw, "/veterans", {**body, "cause": "accident"}).status_code in (400, 422)
    r = post(cw, "/veterans", {**body, "cause": "war"})
    assert r.status_code == 201, r.content
    assert (r.json()["cause"], r.json()["grade"]) == ("war", 8)
    approver = client_for(staff["approver"])
    vid = r.json()["id"]
    assert post(approver, f"/veterans/{vid}/approve").json()["monthly_amount"] == "1790.00"  # war 8, 2026 table
    assert [row["id"] for row in approver.get("/api/v1/veterans?cause=war").json()] == [vid]
    assert approver.get("/api/v1/veterans?cause=illness").json() == []
    bad = post(
        approver, f"/veterans/{vid}/correct", {"grade": 8, "cause": "illness", "from_month": "2026-06", "reason": "x"}
    )
    assert bad.status_code == 400 and bad.json()["field"] == "cause"
    ok = post(
        approver, f"/veterans/{vid}/correct", {"grade": 8, "cause": "duty", "from_month": "2026-06", "reason": "证件"}
    )
    assert ok.status_code == 200, ok.content
    assert (ok.json()["cause"], ok.json()["monthly_amount"]) == ("duty", "1700.00")
    others = client_for(staff["caseworker_b"])
    assert others.get(f"/api/v1/veterans/{vid}").status_code == 404


def test_pages_show_the_cause_and_the_amounts_grid(vet, register, client_for):
    staff = vet["staff"]
    v, _h = vet["entitled"]("disabled", 7, start="2026-06-01", cause="war")
    c = client_for(staff["approver"])
    roster = c.get("/veterans/?cause=war").content.decode()
    assert "因战" in roster and "王建国" in roster
    assert "王建国" not in c.get("/veterans/?cause=duty").content.decode()
    detail = c.get(f"/veterans/{v.pk}/").content.decode()
    assert "伤残性质" in detail and "因战" in detail and "更正伤残性质和等级" in detail
    r = c.post(f"/veterans/{v.pk}/correct/", {"cause": "illness", "grade": "7", "from_month": "2026-06", "reason": "x"})
    assert r.status_code == 302
    assert VeteranEntitlement.objects.get(pk=v.pk).cause == "war"  # refused: illness has no grade 7
    amounts = c.get("/veterans/amounts/?on=2026-08-01").content.decode()
    for text in ("因战", "因公", "因病", "9,140.00", "8,700.00", "8,000.00", "七级"):
        assert text in amounts, text
    person = _person(register, staff, name="赵志刚", seq=41)
    cw = client_for(staff["caseworker_a"])
    form = cw.get(f"/veterans/new/?person={person.pk}").content.decode()
    assert 'name="cause"' in form and "因病" in form
    bad = cw.post(
        "/veterans/new/",
        {"person": person.pk, "category": "disabled", "grade": "9", "cause": "illness", "start_month": "2026-09"},
    )
    assert bad.status_code == 400 and "伤残性质" in bad.content.decode()


def test_the_parameter_editor_lays_the_pensions_out_grade_by_cause(vet, county_reviewer, client_for):
    page = client_for(county_reviewer).get("/programmes/versions/new/?programme=veterans&area=511425000000")
    assert page.status_code == 200, page.status_code
    text = page.content.decode()
    assert 'class="grid param-table"' in text
    for name in ("disabled_war_10", "disabled_duty_1", "disabled_illness_6", "martyr_family"):
        assert f'name="{name}"' in text
    assert 'name="disabled_illness_7"' not in text


# ---- the migrations --------------------------------------------------------------------------------------------
PARAMS_MIGRATION = importlib.import_module("doudi.programmes.migrations.0006_veterans_disabled_by_cause")
CAUSE_MIGRATION = importlib.import_module("doudi.benefits.migrations.0007_veteran_cause")


def _old_values(values: dict) -> dict:
    """A version as stored before causes: ``disabled_<g>`` from the duty column, no cause's parameter."""
    out = {k: v for k, v in values.items() if not k.startswith("disabled_")}
    out.update({f"disabled_{g}": values[f"disabled_duty_{g}"] for g in range(1, 11)})
    return out


def test_the_parameter_migration_carries_each_grade_to_every_cause(vet):
    versions = list(ParameterVersion.objects.filter(programme_id="veterans"))
    before = {}
    for version in versions:
        version.values = _old_values(version.values)
        version.save()
        before[version.pk] = dict(version.values)
    township = ParameterVersion.objects.create(
        programme_id="veterans",
        area_id="511425101000",
        effective_from=M("2026-08-01"),
        status="draft",
        values={"disabled_3": "7100.00"},
    )
    assert PARAMS_MIGRATION.forwards(django_apps, None) == len(versions) + 1
    for version in versions:
        version.refresh_from_db()
        old = before[version.pk]
        for g in range(1, 11):
            assert version.values[f"disabled_war_{g}"] == old[f"disabled_{g}"]
            assert version.values[f"disabled_duty_{g}"] == old[f"disabled_{g}"]
            assert version.values.get(f"disabled_illness_{g}") == (old[f"disabled_{g}"] if g <= 6 else None)
            assert f"disabled_{g}" not in version.values
        assert all(version.values[k] == v for k, v in old.items() if not k.startswith("disabled_"))  # kept
    township.refresh_from_db()
    assert township.values == {k: "7100.00" for k in ("disabled_war_3", "disabled_duty_3", "disabled_illness_3")}
    # nobody's amount changes: the table in force pays every cause what the grade paid
    params = params_in_force("veterans", M("2026-09-01")).values
    assert params["disabled_illness_6"] == params["disabled_war_6"] == Decimal("3580.00")
    assert PARAMS_MIGRATION.forwards(django_apps, None) == 0  # run again: nothing to do
    PARAMS_MIGRATION.backwards(django_apps, None)
    township.refresh_from_db()
    assert township.values == {"disabled_3": "7100.00"}
    for version in versions:
        version.refresh_from_db()
        assert version.values == before[version.pk]  # nothing lost either way


def test_the_pure_carry_over_keeps_a_cause_already_given():
    assert PARAMS_MIGRATION.by_cause({"disabled_7": "10.00", "disabled_war_7": "12.00", "x": 1}) == {
        "x": 1,
        "disabled_war_7": "12.00",
        "disabled_duty_7": "10.00",
    }


@contextmanager
def _checks_off():
    """The table as before the migration, without its check on the cause."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = 1")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = 0")
        return
    constraint = next(
        c for c in VeteranEntitlement._meta.constraints if c.name == "veterans_grade_and_cause_for_disabled_only"
    )
    # PostgreSQL alters no table with the test's deferred foreign-key checks pending: run them now, defer again after
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:
        editor.remove_constraint(VeteranEntitlement, constraint)
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:
        editor.add_constraint(VeteranEntitlement, constraint)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_the_entitlement_migration_gives_disabled_servicemen_duty(vet):
    v, _h = vet["entitled"]("disabled", 8, start="2026-06-01", cause="war")
    other, _h = vet["entitled"]("martyr_family", start="2026-06-01", name="刘卫东", seq=32)
    amount = Enrolment.objects.get(pk=v.enrolment_id).monthly_amount
    with _checks_off():  # as before the migration: no cause (the check is the migration's to add)
        VeteranEntitlement.objects.filter(pk=v.pk).update(cause="")
        assert CAUSE_MIGRATION.causes_give(django_apps, None) == 1
    v.refresh_from_db()
    other.refresh_from_db()
    assert (v.cause, other.cause) == ("duty", "")
    assert Enrolment.objects.get(pk=v.enrolment_id).monthly_amount == amount  # nothing paid differently
