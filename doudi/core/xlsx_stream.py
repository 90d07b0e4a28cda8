"""Long lists in an .xlsx file, written as fast as the file format allows.

openpyxl (and XlsxWriter and PyExcelerate, measured for the same purpose: docs/statistics.md, "The monthly report")
spends 35–45 µs of CPU on each row of six cells, so a list of a million recipients costs the better part of a
minute. Here openpyxl builds the workbook as usual — titles, headers, styles, every short sheet — and the rows of
the long sheets are then streamed into their sheets' XML as inline strings and numbers (about 4 µs a row), while
the package is copied part by part into a new ZIP file. Inline strings need no shared-string table, so no other
part of the package changes; a text cell is never a formula, whatever it begins with.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CHUNK = 5000  # rows joined before each write to the compressor


def _cell(value) -> str:
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | Decimal | float):
        return f"<c><v>{value}</v></c>"
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """{sheet title: its part's name in the package}."""
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{PKG_REL}Relationship")}
    out = {}
    for sheet in ElementTree.fromstring(z.read("xl/workbook.xml")).iter(f"{MAIN}sheet"):
        target = targets[sheet.get(f"{REL}id")]
        out[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return out


def _rows_written(xml: str) -> int:
    rows = re.findall(r'<row r="(\d+)"', xml)
    return int(rows[-1]) if rows else 0


def append_rows(xlsx: bytes, sheets: dict[str, Iterable[Sequence]]) -> bytes:
    """``xlsx`` (a package openpyxl saved) with the rows of ``sheets`` ({title: rows}) appended to those sheets
    after the rows openpyxl wrote there (openpyxl's write-only sheets declare no used range to correct)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    parts = _sheet_parts(source)
    unknown = set(sheets) - set(parts)
    if unknown:
        raise KeyError(f"no sheet named {sorted(unknown)}")
    wanted = {parts[title]: rows for title, rows in sheets.items()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in wanted:
                target.writestr(info, source.read(info.filename))
                continue
            xml = source.read(info.filename).decode("utf-8")
            xml = xml.replace("<sheetData/>", "<sheetData></sheetData>")
            head, tail = xml.split("</sheetData>", 1)
            first = _rows_written(head) + 1
            part = zipfile.ZipInfo(info.filename, info.date_time)
            part.compress_type = zipfile.ZIP_DEFLATED
            with target.open(part, "w") as f:
                f.write(head.encode("utf-8"))
                buf: list[str] = []
                for r, row in enumerate(wanted[info.filename], start=first):
                    buf.append(f'<row r="{r}">{"".join(_cell(v) for v in row)}</row>')
                    if len(buf) >= CHUNK:
                        f.write("".join(buf).encode("utf-8"))
                        buf = []
                f.write("".join(buf).encode("utf-8"))
                f.write(("</sheetData>" + tail).encode("utf-8"))
    return out.getvalue()
