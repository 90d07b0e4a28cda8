"""The import accepts what the forms offer and what a township writes: "3级" and "三级", labour capacity by its
Chinese name, villages by name; refusals list the Chinese names; a card number failing its check digit is
imported with a warning in the report, not refused."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from stdnum import luhn

from doudi.areas.models import Area
from doudi.registry.excel import households_import
from doudi.registry.models import Household, Person

from .conftest import make_id
from .test_import_export import row, xlsx

pytestmark = pytest.mark.django_db


def _import(staff, rows, who="caseworker_a"):
    return households_import(actor=staff[who], filename="list.xlsx", content=xlsx(rows))


@pytest.mark.parametrize("grade", ["3级", "三级", "3", "三", "3 级", "三级残疾"])
def test_disability_grade_as_the_form_offers_it(staff, grade):
    r = _import(
        staff, [row("G", "残三", make_id("1970-01-01", 3), "户主", disability_kind="肢体残疾", disability_grade=grade)]
    )
    assert r.ok, r.errors
    assert Person.objects.get().disability_grade == 3


def test_bad_grade_and_labour_capacity_are_refused_in_chinese(staff):
    r = _import(
        staff,
        [
            row("G", "残五", make_id("1970-01-01", 3), "户主", disability_kind="肢体残疾", disability_grade="5级"),
            row("H", "劳力", make_id("1971-01-01", 3), "户主", labour_capacity="半劳力"),
        ],
    )
    assert not r.ok
    by_row = {e.row: e for e in r.errors}
    assert "残疾等级应为1至4级" in by_row[2].message
    labour = by_row[3].message
    assert "可选：有劳动能力、部分丧失劳动能力、无劳动能力" in labour
    assert "full（" not in labour and "可选：full" not in labour  # no bare codes in the Chinese


@pytest.mark.parametrize("label", ["无劳动能力", "完全丧失劳动能力", "none"])
def test_labour_capacity_by_chinese_name(staff, label):
    r = _import(staff, [row("L", "老人", make_id("1940-01-01", 3), "户主", labour_capacity=label)])
    assert r.ok, r.errors
    assert Person.objects.get().labour_capacity == "none"


@pytest.mark.parametrize("area", ["东风村", "汉阳镇东风村", "汉阳镇/东风村", "汉阳镇 东风村", "511425101201"])
def test_village_by_name_or_code(staff, area):
    r = _import(staff, [row("V", "村民", make_id("1960-01-01", 3), "户主", area=area)])
    assert r.ok, r.errors
    assert Household.objects.get().area_id == "511425101201"


def test_village_name_outside_the_area_or_ambiguous(staff, areas):
    r = _import(staff, [row("V", "村民", make_id("1960-01-01", 3), "户主", area="南河村")])  # 瑞峰镇's
    assert not r.ok and "找不到村/社区“南河村”" in r.errors[0].message and r.errors[0].column == "村/社区"
    Area.objects.create(code="511425102202", name="东风村", level="village", kind="rural", parent_id="511425102000")
    from doudi.accounts.actions import staff_create

    from .conftest import PASSWORD

    staff["county_cw"] = staff_create(  # an account of the whole county that imports households
        actor=None, username="county_cw", password=PASSWORD, role="township_caseworker", area_code="511425000000"
    )
    r = _import(staff, [row("V", "村民", make_id("1960-01-01", 3), "户主", area="东风村")], who="county_cw")
    assert not r.ok and "有2个村/社区名为“东风村”" in r.errors[0].message
    r = _import(staff, [row("V", "村民", make_id("1960-01-01", 3), "户主", area="瑞峰镇东风村")], who="county_cw")
    assert r.ok and Household.objects.get().area_id == "511425102202"


def test_card_check_digit_is_a_warning_with_a_column_in_the_report(client_for, staff):
    good = "621700001111222233"
    good += luhn.calc_check_digit(good)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    rows = [
        row("W1", "错卡", make_id("1960-01-01", 3), "户主", bank_account=bad),
        row("W2", "好卡", make_id("1961-01-01", 3), "户主", bank_account=good),
    ]
    c = client_for(staff["caseworker_a"])
    r = c.post("/households/import/", {"file": SimpleUploadedFile("w.xlsx", xlsx(rows))})
    page = r.content.decode()
    assert "已导入 2 户" in page  # imported: a passbook account may have no check digit
    assert 'id="import-warnings"' in page and "卡号校验位不符，请核对" in page
    result = r.context["result"]
    assert [(w.row, w.column) for w in result.warnings] == [(2, "银行账号")]
    report = c.get(f"/households/import/report/{r.context['report_token']}.xlsx")
    sheet = list(load_workbook(io.BytesIO(report.content)).worksheets[1].iter_rows(values_only=True))
    assert sheet[0][:2] == ("错误 Errors", "提示 Warnings")
    assert sheet[1][1].startswith("银行账号: 卡号校验位不符") and sheet[2][1] in (None, "")
    assert Household.objects.get(head_name="错卡").bank_account == bad


def test_template_example_imports_as_is(staff, client_for):
    from pathlib import Path

    import doudi

    csv_template = (Path(doudi.__file__).parent / "static" / "doudi" / "import-template.csv").read_bytes()
    r = households_import(actor=staff["caseworker_a"], filename="t.csv", content=csv_template)
    assert r.ok and not r.warnings, (r.errors, r.warnings)
    li = Person.objects.get(name="李四")
    assert (li.disability_grade, li.labour_capacity) == (3, "partial")


def test_xlsx_template_example_imports_as_is(staff, client_for):
    xlsx_template = client_for(staff["caseworker_a"]).get("/households/import/template.xlsx").content
    r = households_import(actor=staff["caseworker_a"], filename="t.xlsx", content=xlsx_template)
    assert r.ok and not r.warnings, (r.errors, r.warnings)
