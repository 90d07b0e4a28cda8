"""The children's allowance roster kept in Excel (issue 15): the list's .xlsx filled in — a child moved into an
institution, one stopped with its reason, a new child by full ID number — previewed (new, changed, stopped, errors
by row and column, nothing saved), then confirmed all at once; any error imports nothing; the pages."""

import datetime as dt
import io
import os
import time
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from doudi.benefits import children
from doudi.benefits.children_roster import children_roster_import, children_roster_preview, roster_xlsx
from doudi.cases.amounts import amount_for
from doudi.cases.models import Enrolment, EnrolmentStatus
from doudi.core.errors import ApplicationError
from doudi.registry.models import Person

from ..conftest import member
from .test_children import record, setup  # noqa: F401  (fixtures)

D = Decimal
ON = dt.date(2026, 11, 10)


def child(setup, name, seq, grant=True):  # noqa: F811
    setup["reg"](
        members=[member(f"{name}奶奶", "1950-01-01", seq, "head"), member(name, "2014-04-04", seq + 1, "grandchild")]
    )
    person = Person.objects.get(name=name)
    record(setup, person, "father", "dead", "2019-01-01", on=dt.date(2026, 10, 1))
    record(setup, person, "mother", "dead", "2019-01-01", on=dt.date(2026, 10, 1))
    if grant:
        children.children_grant(actor=setup["approver"], person=person, on=dt.date(2026, 10, 5))
    return person


def filled(setup, edit) -> bytes:  # noqa: F811
    rows = children.children_list(setup["approver"], on=ON)
    wb = load_workbook(io.BytesIO(roster_xlsx(rows)))
    ws = wb.active
    header = [c.value for c in ws[1]]
    by_name = {ws.cell(r, 3).value: r for r in range(2, ws.max_row + 1)}
    edit(ws, header, by_name)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def put(ws, header, row, column, value):
    ws.cell(row, header.index(column) + 1).value = value


@pytest.fixture
def three(setup):  # noqa: F811
    return child(setup, "赵一", 11), child(setup, "钱二", 21), child(setup, "孙三", 31, grant=False)


def test_preview_lists_every_change_and_saves_nothing_then_confirm_applies_all(setup, three):  # noqa: F811
    a, b, c = three

    def edit(ws, header, by_name):
        put(ws, header, by_name["赵一"], "养育方式", "机构养育")
        put(ws, header, by_name["钱二"], "处理", "停发")
        put(ws, header, by_name["钱二"], "说明", "随父亲亲属迁往外省")
        new = ws.max_row + 1
        put(ws, header, new, "姓名", "孙三")
        put(ws, header, new, "身份证号", c.id_number)
        put(ws, header, new, "养育方式", "散居")

    content = filled(setup, edit)
    preview = children_roster_preview(actor=setup["approver"], content=content, on=ON)
    assert not preview.errors
    assert [(x.kind, x.name) for x in preview.changes] == [("changed", "赵一"), ("stopped", "钱二"), ("new", "孙三")]
    assert Enrolment.objects.filter(programme_id="children").count() == 2  # nothing saved
    assert Enrolment.objects.get(person=a).support_mode == "scattered"
    result = children_roster_import(actor=setup["approver"], content=content, on=ON)
    assert (len(result.new), len(result.changed), len(result.stopped)) == (1, 1, 1)
    ea, eb, ec = (Enrolment.objects.get(person=p) for p in (a, b, c))
    changes = list(ea.changes.order_by("from_month", "id"))
    assert amount_for(changes, dt.date(2026, 11, 1)) == D("600.00")
    assert amount_for(changes, dt.date(2026, 12, 1)) == D("1000.00")  # from the next month
    assert (eb.status, eb.end_month) == (EnrolmentStatus.TERMINATED, dt.date(2026, 11, 1))
    assert (ec.start_month, ec.monthly_amount) == (dt.date(2026, 12, 1), D("600.00"))


def test_any_error_imports_nothing_and_each_is_named_by_row_and_column(setup, three):  # noqa: F811
    a, b, _c = three

    def edit(ws, header, by_name):
        put(ws, header, by_name["赵一"], "养育方式", "机构养育")  # fine on its own
        put(ws, header, by_name["钱二"], "处理", "暂停")
        new = ws.max_row + 1
        put(ws, header, new, "姓名", "无名")
        put(ws, header, new, "身份证号", "110101200001011234")

    content = filled(setup, edit)
    preview = children_roster_preview(actor=setup["approver"], content=content, on=ON)
    assert [(e.row, e.column) for e in preview.errors] == [(3, "处理"), (4, "身份证号")]
    with pytest.raises(ApplicationError) as err:
        children_roster_import(actor=setup["approver"], content=content, on=ON)
    assert "第3行「处理」" in err.value.message
    assert Enrolment.objects.get(person=a).support_mode == "scattered"  # the good row was not applied either
    assert Enrolment.objects.get(person=b).status == EnrolmentStatus.ACTIVE


def test_a_file_without_the_columns_is_refused(setup, three):  # noqa: F811
    out = io.BytesIO()
    wb = Workbook()
    wb.active.append(["姓名", "金额"])
    wb.save(out)
    with pytest.raises(ApplicationError) as err:
        children_roster_preview(actor=setup["approver"], content=out.getvalue(), on=ON)
    assert "编号" in err.value.message


def test_pages_upload_preview_confirm(setup, three, client_for):  # noqa: F811
    def edit(ws, header, by_name):
        put(ws, header, by_name["钱二"], "处理", "停发")
        put(ws, header, by_name["钱二"], "说明", "迁出")

    content = filled(setup, edit)
    c = client_for(setup["approver"])
    page = c.post("/children/import/", {"file": io.BytesIO(content)}, format="multipart")
    text = page.content.decode()
    assert page.status_code == 200 and "钱二" in text and 'name="token"' in text
    assert Enrolment.objects.get(person__name="钱二").status == EnrolmentStatus.ACTIVE
    token = text.split('name="token" value="')[1].split('"')[0]
    done = c.post("/children/import/", {"token": token})
    assert done.status_code == 302
    assert Enrolment.objects.get(person__name="钱二").status == EnrolmentStatus.TERMINATED
    assert c.post("/children/import/", {"token": token}).status_code == 400  # used once
    assert client_for(setup["cw"]).get("/children/import/").status_code == 403


def _token(page) -> str:
    return page.content.decode().split('name="token" value="')[1].split('"')[0]


def test_a_preview_leaves_no_file_once_confirmed_or_cancelled(setup, three, client_for, settings, tmp_path):  # noqa: F811
    settings.DATA_DIR = tmp_path
    folder = tmp_path / "roster-previews"

    def edit(ws, header, by_name):
        put(ws, header, by_name["钱二"], "处理", "停发")
        put(ws, header, by_name["钱二"], "说明", "迁出")

    content = filled(setup, edit)
    c = client_for(setup["approver"])

    def preview():
        page = c.post("/children/import/", {"file": io.BytesIO(content)}, format="multipart")
        assert page.status_code == 200 and len(list(folder.iterdir())) == 1  # kept sealed while the preview waits
        return _token(page)

    token = preview()
    cancelled = c.post("/children/import/", {"token": token, "cancel": "1"})
    assert cancelled.status_code == 302 and list(folder.iterdir()) == []
    assert Enrolment.objects.get(person__name="钱二").status == EnrolmentStatus.ACTIVE  # nothing imported
    assert c.post("/children/import/", {"token": token}).status_code == 400  # a cancelled preview cannot be confirmed
    token = preview()
    assert c.post("/children/import/", {"token": token}).status_code == 302
    assert list(folder.iterdir()) == []  # confirmed: no file left behind
    assert Enrolment.objects.get(person__name="钱二").status == EnrolmentStatus.TERMINATED


def test_an_unanswered_preview_is_removed_a_day_later(setup, three, client_for, settings, tmp_path):  # noqa: F811
    settings.DATA_DIR = tmp_path
    folder = tmp_path / "roster-previews"
    folder.mkdir()
    old, recent = folder / f"7-children-{'a' * 32}.xlsx", folder / f"8-elderly-3-{'b' * 32}.xlsx"
    for path in (old, recent):
        path.write_bytes(b"sealed")
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    page = client_for(setup["approver"]).post(
        "/children/import/", {"file": io.BytesIO(filled(setup, lambda *a: None))}, format="multipart"
    )
    assert page.status_code == 200
    assert not old.exists() and recent.exists() and len(list(folder.glob("*.xlsx"))) == 2
