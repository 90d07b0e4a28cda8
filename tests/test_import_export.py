import io

from openpyxl import Workbook, load_workbook

from doudi.audit.models import AuditEvent
from doudi.registry.excel import COLUMNS, households_import, rows_read
from doudi.registry.models import Household, Person

from .conftest import HOSTILE, make_id, member
from .sheets import xlsx_cells, xlsx_text

HEAD = [zh for _k, zh in COLUMNS]


def row(ref, name, number, relation, area="511425101201", **extra):
    values = {
        "household_ref": ref,
        "area_code": area,
        "hukou_type": "农村",
        "name": name,
        "id_number": number,
        "relation": relation,
        "phone": "13800005555",
        **extra,
    }
    return [values.get(k, "") for k, _zh in COLUMNS]


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = [
    row("A1", "周一", make_id("1960-01-01", 1), "户主"),
    row("A1", "吴二", make_id("1962-02-02", 2), "配偶", student="否"),
    row(
        "A2",
        "郑三",
        make_id("1990-03-03", 3),
        "head",
        area="511425101001",
        hukou_type="城镇",
        disability_kind="肢体残疾",
        disability_grade="2",
    ),
]


def test_good_file_imports_every_household(staff):
    result = households_import(actor=staff["caseworker_a"], filename="list.xlsx", content=xlsx(GOOD))
    assert result.ok and (result.households, result.people) == (2, 3)
    assert Household.objects.count() == 2
    zheng = Person.objects.get(name="郑三")
    assert (zheng.disability_kind, zheng.disability_grade) == ("physical", 2)
    assert Household.objects.get(head_name="郑三").hukou_type == "urban"
    assert AuditEvent.objects.filter(action="household.register", batch_id=result.batch_id).count() == 2
    assert AuditEvent.objects.filter(action="registry.import").count() == 1


def test_one_bad_row_saves_nothing_and_reports_every_error(staff, register):
    register()  # holds make_id("1975-03-02", 11)
    rows = GOOD + [
        row("A3", "错号", "511425197503021235", "户主"),  # row 5: check digit
        row("A4", "", make_id("1970-01-01", 9), "户主"),  # row 6: no name
        row("A5", "外乡", make_id("1971-01-01", 9), "户主", area="511425102201"),  # row 7: other township
        row("A6", "重复", make_id("1960-01-01", 1), "户主"),  # row 8: repeats row 2
        row("A7", "已登记", make_id("1975-03-02", 11), "户主"),  # row 9: already registered
        row("A8", "无户主", make_id("1972-01-01", 9), "子女"),  # row 10: no head
        row("A9", "日期", make_id("1973-01-01", 9), "户主", birth_date="1973-01-02"),  # row 11: mismatch
    ]
    before = (Household.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    result = households_import(actor=staff["caseworker_a"], filename="list.xlsx", content=xlsx(rows))
    assert not result.ok
    by_row = {e.row: e for e in result.errors}
    assert set(by_row) == {5, 6, 7, 8, 9, 10, 11}
    assert by_row[5].column == "身份证号" and "校验位" in by_row[5].message
    assert by_row[6].column == "姓名"
    assert by_row[7].column == "村/社区"
    assert "第2行" in by_row[8].message
    assert "已在系统中登记" in by_row[9].message
    assert "户主" in by_row[10].message
    assert by_row[11].column == "出生日期"
    assert (Household.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before


def test_error_report_download(client_for, staff):
    c = client_for(staff["caseworker_a"])
    bad = xlsx([row("B1", "错号", "511425197503021235", "户主")])
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = c.post("/households/import/", {"file": SimpleUploadedFile("bad.xlsx", bad)})
    assert r.status_code == 200 and "未导入任何数据" in r.content.decode()
    token = r.context["report_token"]
    report = c.get(f"/households/import/report/{token}.xlsx")
    wb = load_workbook(io.BytesIO(report.content))
    errors = list(wb.worksheets[0].iter_rows(values_only=True))
    assert errors[1][0] == 2 and errors[1][1] == "身份证号"
    assert list(wb.worksheets[1].iter_rows(values_only=True))[1][2] == "B1"  # after the error and warning columns
    # someone else cannot fetch that report
    assert client_for(staff["caseworker_b"]).get(f"/households/import/report/{token}.xlsx").status_code == 404
    assert Household.objects.count() == 0


def test_csv_in_gbk_is_read(staff):
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEAD)
    w.writerow(row("C1", "冯七", make_id("1955-05-05", 5), "户主"))
    result = households_import(actor=staff["caseworker_a"], filename="list.csv", content=buf.getvalue().encode("gbk"))
    assert result.ok and Person.objects.get().name == "冯七"


def test_wrong_header_and_wrong_file_type_are_explained(staff):
    import pytest

    from doudi.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as info:
        households_import(actor=staff["caseworker_a"], filename="x.csv", content=b"a,b\n1,2\n")
    assert info.value.code == "bad_header" and "户编号" in info.value.message
    with pytest.raises(ApplicationError) as info:
        households_import(actor=staff["caseworker_a"], filename="x.doc", content=b"hello")
    assert info.value.code == "bad_file"


def test_export_round_trips_through_import(client_for, staff, register):
    register()
    content = client_for(staff["caseworker_a"]).get("/households/export.xlsx", {"full": "1"}).content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEAD
    # Re-importing the same people is refused as duplicates, naming the rows.
    result = households_import(actor=staff["caseworker_a"], filename="again.xlsx", content=content)
    assert {e.row for e in result.errors} == {2, 3}


def test_export_writes_formula_like_text_as_text_and_reimports_it(client_for, staff, register):
    for i, value in enumerate(HOSTILE):
        register(
            members=[member(value, "1960-01-01", 10 + i, "head")],
            address=HOSTILE[-1 - i],
            account_holder=value,
            phone="+8613800001111",
        )
    content = client_for(staff["caseworker_a"]).get("/households/export.xlsx").content
    for value in [*HOSTILE, "+8613800001111"]:
        xlsx_text(content, value)
    rows = rows_read("again.xlsx", content)
    assert sorted(r["name"] for r in rows) == sorted(r["address"] for r in rows) == sorted(HOSTILE)
    assert {r["phone"] for r in rows} == {"+8613800001111"}


def test_error_report_and_template_write_formula_like_text_as_text(client_for, staff):
    import csv

    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(staff["caseworker_a"])
    buf = io.StringIO()
    csv.writer(buf).writerows(
        [HEAD] + [row(value, value, "511425197503021235", "户主", address=value, diagnosis=value) for value in HOSTILE]
    )
    r = c.post("/households/import/", {"file": SimpleUploadedFile("bad.csv", buf.getvalue().encode())})
    report = c.get(f"/households/import/report/{r.context['report_token']}.xlsx").content
    for value in HOSTILE:
        xlsx_text(report, value)
    assert len(xlsx_cells(client_for(staff["caseworker_b"]).get("/households/import/template.xlsx").content)) > 40
