"""doudi/core/cells.py: formula-like text is written as text in .xlsx and .csv; numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from doudi.core.cells import csv_row, xlsx_row

from .conftest import FORMULAS, HOSTILE
from .sheets import csv_field, xlsx_cells, xlsx_text


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_formula_like_text_is_a_string_and_numbers_stay_numbers(write_only):
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("s") if write_only else wb.active
    values = [*HOSTILE, "\tx", "=", "#N/A", "ok", "a\x01b", "\x02=1+1", Decimal("-12.50"), -3, 0, None]
    for _ in range(2):  # write-only sheets reuse one cell object between values: two rows check the reset
        ws.append(xlsx_row(ws, values))
    out = io.BytesIO()
    wb.save(out)
    content = out.getvalue()
    for value in [*HOSTILE, "\tx", "=", "ok"]:
        xlsx_text(content, value)
    cells = xlsx_cells(content)
    assert {(c.data_type, c.quotePrefix) for c in cells if c.value == "#N/A"} == {("s", True)}  # not an error
    for r in (1, 2):
        row = [c for c in cells if c.row == r]
        assert [c.value for c in row] == [*HOSTILE, "\tx", "=", "#N/A", "ok", "ab", "=1+1", -12.5, -3, 0]  # no \x01
        assert [c.data_type for c in row[-3:]] == ["n", "n", "n"] and not any(c.quotePrefix for c in row[-3:])


def test_csv_formula_like_text_gets_an_apostrophe_and_numbers_do_not():
    buf = io.StringIO()
    csv.writer(buf).writerow(csv_row([*HOSTILE, "\tx", "张三", Decimal("-12.50"), Decimal("720.00"), -3]))
    fields = next(csv.reader(io.StringIO(buf.getvalue())))
    assert fields[: len(HOSTILE) + 1] == [csv_field(v) for v in [*HOSTILE, "\tx"]]
    assert fields[: len(FORMULAS)] == ["'" + v for v in FORMULAS]
    assert fields[len(HOSTILE) :] == ["'\tx", "张三", "-12.50", "720.00", "-3"]
