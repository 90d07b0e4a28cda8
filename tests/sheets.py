"""Read back the .xlsx and .csv files the system writes, to check that no cell is a formula."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from doudi.core.cells import formula_like


def xlsx_cells(content: bytes) -> list:
    """Every cell of every sheet; none may be a formula."""
    wb = load_workbook(io.BytesIO(content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    return cells


def xlsx_text(content: bytes, value: str):
    """The cell holding ``value``: text, and shown as typed (quote prefix) when a spreadsheet would run it."""
    found = [c for c in xlsx_cells(content) if c.value == value]
    assert found, value
    for cell in found:
        assert cell.data_type == "s" and cell.quotePrefix == formula_like(value)
    return found[0]


def csv_rows(content: bytes, encoding: str = "utf-8-sig", delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode(encoding)), delimiter=delimiter))


def csv_field(value: str) -> str:
    """How ``value`` must appear in a CSV file: an apostrophe before text a spreadsheet would run."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
