"""Issue 15, temporary assistance where the hardship happens for people whose hukou is outside the county
(domain.md §5; 国发〔2014〕47号): such a household is registered where it lives in the county with its hukou place
named; every programme that requires a hukou in the county refuses it (the one-by-one rules and the set-based dibao
evaluation alike); temporary assistance is given for an emergency here, and for the expenditure kind only with the
county's residence permit."""

import datetime as dt
from decimal import Decimal

import pytest

from doudi.benefits.models import TemporaryAssistance, TemporaryState
from doudi.benefits.temporary import temporary_apply, temporary_pay_first
from doudi.core.errors import ApplicationError
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.batch import evaluation_run
from doudi.programmes.models import EvaluationResult
from doudi.programmes.pack import DEMO_PACK
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.inputs import household_from_json
from doudi.programmes.rules.registry_input import household_input, household_inputs
from doudi.registry.actions import household_update
from doudi.registry.facts import facts_differences
from doudi.registry.models import Household

from ..conftest import make_id, member, township_reviewer

ON = dt.date(2026, 5, 1)
ELSEWHERE = "四川省仁寿县文林镇"


@pytest.fixture
def world(staff, register):

    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    local = register()
    migrant = register(
        members=[member("王小川", "1988-04-09", 31, "head"), member("刘芳", "1990-07-01", 42, "spouse")],
        hukou_place=ELSEWHERE,
    )
    tr = township_reviewer()
    return {"cw": staff["caseworker_a"], "tr": tr, "local": local, "migrant": migrant}


def test_registered_where_they_live_refused_by_every_programme_needing_a_county_hukou(world):
    migrant, local = world["migrant"], world["local"]
    assert (migrant.hukou_place, migrant.residence_permit, migrant.hukou_in_county) == (ELSEWHERE, False, False)
    for programme in ("dibao", "tekun", "elderly", "children", "disability"):
        d = evaluate(programme, household_input(migrant), ON)
        assert not d.eligible, programme
        assert "hukou_outside_county" in [r["code"] for r in d.reasons_ineligible], programme
    # the same household with its hukou here qualifies for dibao (no income): only the hukou refuses it
    assert evaluate("dibao", household_input(local), ON).eligible
    # the batch path reads the same input, and the set-based dibao evaluation refuses it too
    [batch] = [h for h in household_inputs([migrant]) if h.household_id == migrant.pk]
    assert batch.hukou_in_county is False
    run = evaluation_run(actor=None, programme="dibao", on=ON, area_prefix="511425", keep_all=True)
    results = dict(EvaluationResult.objects.filter(run=run).values_list("household_id", "eligible"))
    assert results == {local.pk: True, migrant.pk: False}
    assert facts_differences() == []


def test_an_emergency_here_is_assisted_where_it_happened(world):
    ta = temporary_apply(
        actor=world["cw"],
        household=world["migrant"],
        person=world["migrant"].memberships.get(relation="head").person,
        kind="emergency",
        cause="租住房屋失火",
        hardship_date=dt.date(2026, 5, 4),
        loss="400.00",
    )
    # at most 2 × the rural standard (2 × 230.00): the township approves and may pay first
    assert (ta.amount, ta.approval_level, ta.fast_track) == (Decimal("400.00"), "township", True)
    steps = {s["rule"]: s for s in ta.decision["explanation"]}
    assert steps["where_applied"]["value"] is True and "急难发生地" in steps["where_applied"]["zh"]
    ta = temporary_pay_first(actor=world["tr"], ta=ta, on=dt.date(2026, 5, 6))
    assert ta.state == TemporaryState.PAID_FIRST and ta.enrolment.household == world["migrant"]


def test_the_expenditure_kind_needs_the_residence_permit(world):
    migrant = world["migrant"]
    head = migrant.memberships.get(relation="head").person
    args = dict(
        actor=world["cw"],
        person=head,
        kind="expenditure",
        cause="重病医疗支出",
        hardship_date=dt.date(2026, 5, 4),
        rigid_expenses="6000.00",
        reimbursed="2000.00",
    )
    with pytest.raises(ApplicationError) as e:
        temporary_apply(household=migrant, **args)
    assert "户籍所在地申请" in e.value.message
    assert not TemporaryAssistance.objects.exists()  # nothing saved
    migrant = household_update(actor=world["cw"], household=migrant, data={"residence_permit": True})
    ta = temporary_apply(household=migrant, **args)
    # half of 4,000.00, at most 10 × the rural standard on that date (230.00)
    assert (ta.amount, ta.approval_level) == (Decimal("2000.00"), "county")
    # a hukou brought into the county: the residence permit no longer applies and is cleared
    migrant = household_update(actor=world["cw"], household=migrant, data={"hukou_place": ""})
    assert (migrant.hukou_place, migrant.residence_permit) == ("", False)


def test_the_permit_without_a_hukou_elsewhere_is_refused_naming_the_field(world, register):
    with pytest.raises(ApplicationError) as e:
        register(
            members=[member("赵一", "1980-01-01", 51, "head")],
            hukou_place="",
            residence_permit=True,
        )
    assert e.value.field == "residence_permit"
    with pytest.raises(ApplicationError) as e:
        register(members=[member("赵二", "1980-01-01", 53, "head")], hukou_place="省" * 101)
    assert e.value.field == "hukou_place"
    assert not Household.objects.filter(head_name__in=["赵一", "赵二"]).exists()


@pytest.mark.parametrize(
    ("extra", "kind", "eligible", "reason"),
    [
        ({}, "expenditure", True, None),
        ({"hukou_in_county": False}, "emergency", True, None),
        ({"hukou_in_county": False}, "expenditure", False, "expenditure_hukou_elsewhere"),
        ({"hukou_in_county": False, "residence_permit": True}, "expenditure", True, None),
    ],
)
def test_evaluate_json_reads_the_hukou_and_the_permit(world, extra, kind, eligible, reason):
    raw = {
        "hukou_type": "rural",
        "area": "511425101201",
        "members": [{"name": "甲", "birth_date": "1980-01-01", "relation": "head"}],
        **extra,
        "hardship": {
            "kind": kind,
            "cause": "火灾" if kind == "emergency" else "医疗支出",
            "loss": "300.00",
            "rigid_expenses": "3000.00",
            "date": "2026-05-04",
        },
    }
    d = evaluate("temporary", household_from_json(raw), ON)
    assert d.eligible is eligible
    assert [r["code"] for r in d.reasons_ineligible] == ([reason] if reason else [])
    # every other programme refuses a hukou elsewhere
    if extra:
        raw.pop("hardship")
        assert "hukou_outside_county" in [
            r["code"] for r in evaluate("dibao", household_from_json(raw), ON).reasons_ineligible
        ]


def test_evaluate_json_refuses_a_permit_with_the_hukou_here(world):
    raw = {
        "hukou_type": "rural",
        "residence_permit": True,
        "members": [{"name": "甲", "birth_date": "1980-01-01", "relation": "head"}],
    }
    with pytest.raises(ApplicationError) as e:
        household_from_json(raw)
    assert e.value.field == "residence_permit"


def test_the_window_registers_a_migrant_and_returns_to_the_application(world, client, staff):
    client.force_login(staff["caseworker_a"])
    page = client.post("/temporary/new/", {"id_number": make_id("1992-02-02", 61)}).content.decode()
    assert "在本县登记人员中找不到此身份证号" in page and "?then=temporary" in page
    form = client.get("/households/new/?then=temporary").content.decode()
    assert 'name="then" value="temporary"' in form and 'name="hukou_place"' in form
    r = client.post(
        "/households/new/",
        {
            "then": "temporary",
            "area": "511425101201",
            "hukou_type": "urban",
            "hukou_place": "重庆市江北区",
            "member_count": "1",
            "m0-name": "陈渝",
            "m0-id_number": make_id("1992-02-02", 61),
            "m0-relation": "head",
            "m0-labour_capacity": "full",
        },
    )
    h = Household.objects.get(head_name="陈渝")
    assert r.status_code == 302 and r["Location"] == f"/temporary/new/?household={h.pk}"
    assert h.hukou_place == "重庆市江北区"
    detail = client.get(f"/households/{h.pk}/").content.decode()
    assert "非本县户籍" in detail and "重庆市江北区" in detail
    assert "重庆市江北区（未持本县居住证）" in detail
    client.cookies["django_language"] = "en"  # the brackets around the English are an English page's
    detail = client.get(f"/households/{h.pk}/").content.decode()
    assert "重庆市江北区 (No residence permit" in detail and "（No" not in detail


def test_the_registry_export_and_import_carry_the_hukou_place(world, client, staff):
    import io

    from openpyxl import load_workbook

    from doudi.registry.excel import households_import

    client.force_login(staff["caseworker_a"])
    rows = list(
        load_workbook(io.BytesIO(client.get("/households/export.xlsx").content)).active.iter_rows(values_only=True)
    )
    place, permit, name = (rows[0].index(h) for h in ("户籍所在地", "持本县居住证", "姓名"))
    assert {(r[name], r[place] or "", r[permit] or "") for r in rows[1:] if r[name] == "王小川"} == {
        ("王小川", ELSEWHERE, "")
    }
    header = "户编号,村/社区,户籍类型,户籍所在地（非本县户籍）,持本县居住证,姓名,身份证号,与户主关系\r\n"
    csv = header + f"1,511425101201,农村,重庆市江北区,是,陈渝,{make_id('1992-02-02', 61)},户主\r\n"
    result = households_import(actor=staff["caseworker_a"], filename="h.csv", content=csv.encode("utf-8"))
    assert result.ok, result.errors
    h = Household.objects.get(head_name="陈渝")
    assert (h.hukou_place, h.residence_permit) == ("重庆市江北区", True)
    bad = header + f"1,511425101201,农村,,是,陈蓉,{make_id('1993-03-03', 62)},户主\r\n"
    result = households_import(actor=staff["caseworker_a"], filename="h.csv", content=bad.encode("utf-8"))
    assert not result.ok and result.errors[0].row == 2 and "居住证" in result.errors[0].message
    assert not Household.objects.filter(head_name="陈蓉").exists()
