"""Parameters edited as forms generated from the programme's schema: typed fields with units and the values in
force, per-field messages that name the field (nothing saved), the difference from the version in force, and a
confirmation before approval."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from doudi.accounts.actions import staff_create
from doudi.audit.models import AuditEvent
from doudi.programmes.actions import parameter_version_create
from doudi.programmes.models import ParameterVersion
from doudi.programmes.pack import DIBAO_COMMON
from doudi.programmes.params import SPECS, params_diff, params_parse

from ..conftest import PASSWORD

NEW = reverse("version_new")


@pytest.fixture
def reviewer(staff, pack):
    return staff_create(
        actor=None,
        username="crev",
        password=PASSWORD,
        role="county_reviewer",
        area_code="511425000000",
        check_password=False,
    )


def form_data(**overrides):
    """The 2016 demo values as a person would type them (ratios as percentages)."""
    data = {
        "programme": "dibao",
        "area": "511425000000",
        "effective_from": "2026-07-01",
        "note": "提标",
        "standard_urban": "400.00",
        "standard_rural": "230.00",
        "job_cost_ratio": "10",
        "job_cost_cap": "200.00",
        "support_not_counted_from": ["sibling", "supporter_60_plus"],
        "rigid_expenditure_deduction": "on",
        "financial_asset_months": "24",
        "vehicle_livelihood_max": "30000.00",
        "home_area_per_member_max": "70",
        "floor_ratio": "10",
        "addon_age70_ratio": "10",
        "addon_disability_1_2_ratio": "20",
        "addon_serious_illness_ratio": "20",
        "rounding": "yuan_half_up",
        "single_person_edge_ratio": "1.5",
        "gradual_exit_months": "6",
    }
    data.update(overrides)
    return data


def test_the_form_has_a_typed_field_per_parameter_with_the_values_in_force(client_for, reviewer):
    page = client_for(reviewer).get(NEW, {"programme": "dibao", "effective_from": "2026-07-01"})
    html = page.content.decode()
    assert page.status_code == 200
    for spec in SPECS["dibao"]:
        assert f'name="{spec.name}"' in html and spec.zh in html
    assert "参数值须为JSON对象" not in html and "<textarea" not in html
    # money with two decimals and its unit, ratios as percentages, the help text
    assert re.search(r'name="standard_rural" value="230.00"', html)
    assert "元/人·月" in html and "农村户籍家庭的月人均标准" in html
    assert re.search(r'name="job_cost_ratio" value="10"', html) and ">%<" in html
    assert 'type="checkbox" name="rigid_expenditure_deduction"' in html and "checked" in html
    assert '<option value="yuan_half_up" selected>四舍五入到元</option>' in html
    tekun = client_for(reviewer).get(NEW, {"programme": "tekun"}).content.decode()
    assert 'name="basic_centralised" value="460.00"' in tekun and "元/月" in tekun


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("standard_urban", "abc", "城市低保标准：须为金额"),
        ("standard_urban", "-5", "城市低保标准：须为大于0的金额"),
        ("standard_urban", "0", "城市低保标准：须为大于0的金额"),
        ("standard_rural", "230.001", "农村低保标准：金额最多两位小数"),
        ("job_cost_cap", "-1", "就业成本扣除上限：须为不小于0的金额"),
        ("job_cost_ratio", "120", "就业成本扣除比例：须为0到100之间的百分数"),
        ("job_cost_ratio", "10.123", "就业成本扣除比例：须为0到100之间的百分数"),
        ("financial_asset_months", "-3", "人均金融资产上限：不能为负数"),
        ("gradual_exit_months", "7", "渐退期：不能大于 6"),
        ("gradual_exit_months", "2.5", "渐退期：须为整数"),
        ("rounding", "down", "取整规则：不是可选的值"),
        ("single_person_edge_ratio", "0.5", "单人户边缘家庭倍数：不能小于 1"),
        ("standard_rural", "", "农村低保标准：不能为空"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_saved(client_for, reviewer, field, typed, message):
    before = (ParameterVersion.objects.count(), AuditEvent.objects.count())
    page = client_for(reviewer).post(NEW, form_data(**{field: typed}))
    html = page.content.decode()
    assert page.status_code == 200
    assert message in html
    # the message sits under its own field, and what was typed is kept
    block = html[html.index(f'name="{field}"') :]
    assert message in block[:2500]
    if typed and field != "rounding":
        assert f'value="{typed}"' in html
    assert (ParameterVersion.objects.count(), AuditEvent.objects.count()) == before


def test_a_good_form_saves_a_draft_with_the_stored_values(client_for, reviewer):
    page = client_for(reviewer).post(NEW, form_data(standard_rural="260.00", job_cost_ratio="12.5"))
    v = ParameterVersion.objects.get(status="draft", programme_id="dibao")
    assert page.status_code == 302 and page["Location"] == reverse("version_detail", args=[v.pk])
    assert v.values["standard_rural"] == "260.00" and v.values["job_cost_ratio"] == "0.125"
    assert v.values["gradual_exit_months"] == 6 and v.values["rigid_expenditure_deduction"] is True
    assert params_parse("dibao", v.values)  # complete and valid
    assert v.effective_from == dt.date(2026, 7, 1) and v.created_by == reviewer


def test_a_township_version_keeps_only_what_differs_from_the_county(client_for, reviewer):
    page = client_for(reviewer).post(NEW, form_data(area="511425101000", standard_rural="250.00"))
    assert page.status_code == 302
    v = ParameterVersion.objects.get(status="draft")
    assert v.area_id == "511425101000" and v.values == {"standard_rural": "250.00"}


def test_the_draft_page_shows_each_change_against_the_version_in_force(client_for, reviewer):
    client_for(reviewer).post(NEW, form_data(standard_rural="260.00", addon_age70_ratio="15"))
    v = ParameterVersion.objects.get(status="draft")
    html = client_for(reviewer).get(reverse("version_detail", args=[v.pk])).content.decode()
    assert "2 项变化" in html
    row = html[html.index("农村低保标准") :][:400]
    assert "230.00 元/人·月" in row and "260.00 元/人·月" in row and "+30.00 元/人·月（+13.04%）" in row
    row = html[html.index("70岁以上加发比例") :][:300]
    assert "10%" in row and "15%" in row and "+5 个百分点" in row
    assert "不变" in html[html.index("城市低保标准") :][:300]


def test_params_diff_names_old_new_and_change():
    old = params_parse("dibao", {"standard_urban": "400.00", "standard_rural": "230.00", **DIBAO_COMMON})
    new = {**old, "standard_urban": params_parse("dibao", {"standard_urban": "380"}, partial=True)["standard_urban"]}
    new["rigid_expenditure_deduction"] = False
    rows = {r.spec.name: r for r in params_diff("dibao", old, new)}
    assert rows["standard_urban"].change == "-20.00 元/人·月（-5.00%）"
    assert (rows["rigid_expenditure_deduction"].old, rows["rigid_expenditure_deduction"].new) == ("是", "否")
    assert sum(r.changed for r in rows.values()) == 2
    assert all(r.old == "—" and r.changed for r in params_diff("dibao", None, new))


def test_approval_asks_for_confirmation_showing_the_difference_and_the_date(client_for, reviewer, staff):
    client_for(reviewer).post(NEW, form_data(standard_rural="260.00"))
    v = ParameterVersion.objects.get(status="draft")
    client = client_for(staff["approver"])
    detail = client.get(reverse("version_detail", args=[v.pk])).content.decode()
    assert reverse("version_approve", args=[v.pk]) in detail  # a link to the confirmation, not a bare button
    confirm = client.get(reverse("version_approve", args=[v.pk]))
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "2026-07-01" in html and "青神县" in html
    assert "+30.00 元/人·月" in html and 'name="confirm"' in html
    # a POST without the confirmation approves nothing
    assert client.post(reverse("version_approve", args=[v.pk])).status_code == 302
    v.refresh_from_db()
    assert v.status == "draft"
    page = client.post(reverse("version_approve", args=[v.pk]), {"confirm": "2026-07-01"})
    v.refresh_from_db()
    assert page.status_code == 302 and v.status == "approved" and v.approved_by == staff["approver"]


def test_the_maker_gets_no_confirmation_page(client_for, staff, pack):
    v = parameter_version_create(
        actor=staff["approver"],
        programme="dibao",
        area_code="511425000000",
        effective_from=dt.date(2026, 7, 1),
        values={"standard_urban": "400.00", "standard_rural": "240.00", **DIBAO_COMMON},
    )
    client = client_for(staff["approver"])
    assert client.get(reverse("version_approve", args=[v.pk])).status_code == 403
    assert client.post(reverse("version_approve", args=[v.pk]), {"confirm": "2026-07-01"}).status_code == 403
    v.refresh_from_db()
    assert v.status == "draft"


def test_the_api_checks_values_with_the_same_schema_naming_the_field(client_for, reviewer):
    client = client_for(reviewer)
    body = {"area_code": "511425000000", "effective_from": "2026-07-01", "values": {"standard_urban": "-5"}}
    answer = client.post("/api/v1/programmes/dibao/versions", body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["field"] == "standard_urban"
    assert answer.json()["message_zh"].startswith("城市低保标准：须为大于0的金额")
    assert not ParameterVersion.objects.filter(status="draft").exists()


def test_in_english_the_form_and_its_messages_are_english(client_for, reviewer):
    client = client_for(reviewer)
    client.cookies["django_language"] = "en"
    html = client.get(NEW, {"programme": "dibao"}).content.decode()
    assert "Urban standard" in html and "yuan/person/month" in html and "城市低保标准" not in html
    html = client.post(NEW, form_data(standard_urban="-5")).content.decode()
    assert "Urban standard: must be an amount greater than 0 (-5)" in html
    assert "城市低保标准：" not in html
    assert not ParameterVersion.objects.filter(status="draft").exists()
