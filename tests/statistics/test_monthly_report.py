"""The monthly statistical report: a sheet for the county and each township in the form's layout, and the published
recipient lists with masked names and no ID numbers."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from doudi.registry.models import Person

pytestmark = pytest.mark.django_db


def test_the_report_has_the_county_each_township_and_the_lists(county, tmp_path):
    out = tmp_path / "m.xlsx"
    call_command("report", "monthly", "--month", "2026-03", "--out", str(out), stdout=io.StringIO())
    wb = load_workbook(out)
    assert wb.sheetnames == ["青神县", "汉阳镇", "瑞峰镇", "低保对象公示名单", "特困供养对象公示名单"]
    rows = {r[2]: r for r in wb["青神县"].iter_rows(min_row=3, values_only=True)}
    assert list(wb["青神县"].iter_rows(min_row=2, max_row=2, values_only=True))[0] == (
        "指标名称",
        "计量单位",
        "代码",
        "本期",
        "上期",
        "增减",
    )
    assert rows["DB0301000000"][:6] == ("低保资金支出", "元", "DB0301000000", 850, 500, 350)
    assert rows["DB0101000000"][3:6] == (3, 3, 0)
    ruifeng = {r[2]: r for r in wb["瑞峰镇"].iter_rows(min_row=3, values_only=True)}
    assert ruifeng["DB0102000000"][3] == 2 and ruifeng["DB0301000000"][3] == 150
    listed = list(wb["低保对象公示名单"].iter_rows(min_row=3, values_only=True))
    # H1 (300, 3 people), H2 (200 this month; the arrears are not the published amount), H3 (150, 2 people)
    assert sorted((r[3], r[4], r[5]) for r in listed) == [("孙*", 2, 150), ("王*", 3, 300), ("赵*", 1, 200)]
    text = " ".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)
    for p in Person.objects.all():
        assert p.id_number not in text
        assert p.name not in text  # every name is masked


def test_a_township_downloads_its_own_report(county, client):
    client.force_login(county["people"]["caseworker_b"])
    r = client.get("/statistics/report.xlsx", {"month": "2026-03"})
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["瑞峰镇", "低保对象公示名单", "特困供养对象公示名单"]
    assert [r[3] for r in wb["低保对象公示名单"].iter_rows(min_row=3, values_only=True)] == ["孙*"]
