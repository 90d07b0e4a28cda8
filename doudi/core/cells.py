"""Cells for the .xlsx and .csv files the system writes, so that a spreadsheet never runs data as a formula
(OWASP "CSV injection"). Every export, report and bank file writes its rows through ``xlsx_row`` or ``csv_row``.

Text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is "formula-like" and is written as
text:

- in .xlsx, as a string cell (never a formula cell) with Excel's quote-prefix style: the spreadsheet shows
  exactly the original text, Excel keeps it text even when the cell is edited, and openpyxl reads the original
  text back (so an exported file can be imported again unchanged);
- in .csv, with a leading apostrophe ``'`` (OWASP's advice): a CSV has no cell types, the apostrophe stops the
  formula, and the value stays readable (``'=HYPERLINK(…)``).

Only text is touched: numbers are passed as ``int`` or ``Decimal`` and stay numbers (a negative amount is a
number, not text; openpyxl writes ``Decimal`` as a number, and ``csv`` writes ``str(Decimal)``, e.g. ``-12.50``).
Control characters an .xlsx file cannot hold are dropped instead of failing the export.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value):
    """The value for a CSV field: formula-like text gets a leading apostrophe; anything else is unchanged."""
    return "'" + value if formula_like(value) else value


def csv_row(values: Iterable) -> list:
    return [csv_cell(v) for v in values]


def xlsx_cell(ws, value):
    """The value to append to ``ws`` (normal or write-only). Text loses the control characters .xlsx cannot
    hold; formula-like text, and text openpyxl would store as an error value (``#N/A``), becomes a string cell
    with the quote-prefix style. Anything else is returned for openpyxl to type."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not (formula_like(value) or value in ERROR_CODES):
        return value
    cell = Cell(ws, row=1, column=1, value=value)  # append() sets the real row and column
    cell.data_type = "s"  # openpyxl made it a formula ("f") if it began with "=", or an error ("e")
    cell.quotePrefix = True
    return cell


def xlsx_row(ws, values: Iterable) -> list:
    """A row for ``ws.append``."""
    return [xlsx_cell(ws, v) for v in values]
