"""Writing what people typed into .xlsx files: a text that begins with "=" is written as text, so a name or an
address such as "=HYPERLINK(…)" is shown as typed and never becomes a formula that runs when the file is
opened (openpyxl otherwise stores any string starting with "=" as a formula)."""

from __future__ import annotations


def row_as_text(ws, values: list) -> list:
    """``values`` ready for ``ws.append`` on a write-only sheet."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            value = cell
        out.append(value)
    return out


def keep_as_text(cells) -> None:
    """After ``ws.append`` on an ordinary sheet: the row's "=…" texts stay texts."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
