"""Rows streamed into an openpyxl workbook's sheets read back as openpyxl and LibreOffice would read them: after
the rows openpyxl wrote, numbers as numbers, text as text (never a formula), other sheets untouched."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from doudi.core.xlsx_stream import append_rows


def book() -> bytes:
    wb = Workbook(write_only=True)
    first = wb.create_sheet("说明")
    first.append(["只读说明", 1])
    listed = wb.create_sheet("名单")
    listed.append(["标题"])
    listed.append(["序号", "姓名", "金额"])
    wb.create_sheet("空表")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_rows_follow_the_header_and_keep_their_types():
    rows = [
        (1, "王*一", Decimal("123.45")),
        (2, '=HYPERLINK("http://x")', Decimal("-5.00")),
        (3, "  前后有空格 ", None),
        (4, "<&>\x01控制字符", 0),
    ]
    wb = load_workbook(io.BytesIO(append_rows(book(), {"名单": iter(rows), "空表": [("a", True)]})))
    assert wb.sheetnames == ["说明", "名单", "空表"]
    got = list(wb["名单"].iter_rows(values_only=True))
    assert got[:2] == [("标题", None, None), ("序号", "姓名", "金额")]
    assert got[2:] == [
        (1, "王*一", 123.45),
        (2, '=HYPERLINK("http://x")', -5),
        (3, "  前后有空格 ", None),
        (4, "<&>控制字符", 0),
    ]
    assert wb["名单"]["B4"].data_type == "s"  # text, not a formula
    assert list(wb["空表"].iter_rows(values_only=True)) == [("a", True)]
    assert list(wb["说明"].iter_rows(values_only=True)) == [("只读说明", 1)]


def test_a_sheet_that_is_not_there_is_named():
    with pytest.raises(KeyError, match="不存在"):
        append_rows(book(), {"不存在": []})


def test_a_long_list_is_complete_and_compressed():
    """A generator of 200,000 rows is read once, as it is written, and the sheet is compressed."""
    seen = {"n": 0}

    def rows():
        for i in range(200_000):
            seen["n"] += 1
            yield (i, "某乡镇", Decimal("1.00"))

    data = append_rows(book(), {"名单": rows()})
    assert seen["n"] == 200_000 and len(data) < 5_000_000
    wb = load_workbook(io.BytesIO(data), read_only=True)
    rows = list(wb["名单"].iter_rows(min_row=3, values_only=True))
    assert len(rows) == 200_000 and rows[-1] == (199_999, "某乡镇", 1)
