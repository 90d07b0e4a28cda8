"""Bank files in each bank's layout (banklayouts.py: columns, headers, format, encoding, delimiter, totals row,
file name), their totals read back from the file itself, and the bank's return file. Example files:
docs/examples/bank-files/ (one per layout) and docs/examples/bank-return.csv.

Amounts are numbers: in .xlsx a numeric cell shown as ``0.00``, in text files a plain decimal (``720.00``, no
thousands separator). Account numbers and ID numbers are text (leading zeros and all 18 characters kept). A file
whose layout has a totals row ends with one: 合计, the count of payments (共N笔) in the holder's column, the sum in
the amount column; reading a file back checks that row against the rows above it.

A bank file is rendered once, when it is exported: one pass over the payroll's lines — which carry the account,
account holder and ID number they were generated with, so a file made later still says what was approved —
streamed to a temporary file beside the final one, read back for its total, then renamed into place. Nothing
holds the payroll in memory, and a process killed halfway leaves no file under the final name and no
``BankExport`` row (the temporary file is removed by the payroll's next export). Downloading serves the stored
file.

Return files are read the same way, row by row (``return_rows``)."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, NamedTuple

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from doudi.areas.models import Area
from doudi.core.cells import csv_row, xlsx_row
from doudi.core.errors import ApplicationError
from doudi.core.idnumber import id_mask
from doudi.core.money import money_parse
from doudi.core.sealedfiles import open_plain, seal_file
from doudi.core.uploads import xlsx_open
from doudi.core.validation import has_control_characters, id_or_none

from .banklayouts import DEFAULT, LAYOUTS, BankFormat
from .models import BankExport, BankLayout, LineStatus, Payroll, PayrollLine

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
COLUMNS = ("ref", "account", "name", "id_number", "amount", "memo", "area", "month")  # what a layout may use
XLSX_MAX_ROWS = 1_048_576  # a worksheet's limit, header row included
READ_CHUNK = 1 << 20


TOTALS_LABEL = "合计"
AMOUNT_FORMAT = "0.00"
WIDTHS = {"ref": 10, "account": 24, "name": 14, "id_number": 22, "amount": 12, "memo": 30, "area": 14, "month": 10}


def _matches(row: BankLayout, spec: BankFormat) -> bool:
    return (row.columns, row.headers, row.delimiter, row.encoding, row.full_id) == (
        list(spec.columns),
        list(spec.headers),
        spec.delimiter,
        spec.encoding,
        spec.full_id,
    )


def layout_get(name: str | None = None) -> BankLayout:
    """The layout row for an entry of banklayouts.LAYOUTS (the default if ``name`` is empty), created from the entry
    on first use. If the entry has changed since, the row is brought in line, unless files were already written
    with it: then the old row keeps its files under a new name and a new row holds the entry."""
    spec = LAYOUTS.get(name or DEFAULT.name)
    if spec is None:
        raise ApplicationError(
            f"银行文件格式“{name}”不存在，可选：{'、'.join(LAYOUTS)}",
            f"Unknown bank file layout {name!r}",
            field="layout",
            code="invalid_choice",
        )
    values = {
        "columns": list(spec.columns),
        "headers": list(spec.headers),
        "delimiter": spec.delimiter,
        "encoding": spec.encoding,
        "full_id": spec.full_id,
    }
    row, created = BankLayout.objects.get_or_create(name=spec.name, defaults=values)
    if created or _matches(row, spec):
        return row
    if BankExport.objects.filter(layout=row).exists():
        row.name = f"{spec.name}（旧版{row.pk}）"[:60]
        row.save(update_fields=["name"])
        return BankLayout.objects.create(name=spec.name, **values)
    BankLayout.objects.filter(pk=row.pk).update(**values)
    row.refresh_from_db()
    return row


def default_layout() -> BankLayout:
    return layout_get(DEFAULT.name)


def format_of(layout: BankLayout) -> BankFormat:
    """The layout's entry in the table; a layout row made by hand (or kept for old files) as an entry with no
    totals row."""
    spec = LAYOUTS.get(layout.name)
    if spec is not None and _matches(layout, spec):
        return spec
    return BankFormat(
        code=f"layout{layout.pk}",
        name=layout.name,
        bank=layout.name,
        columns=tuple(layout.columns),
        headers=tuple(layout.headers),
        delimiter=layout.delimiter,
        encoding=layout.encoding,
        full_id=layout.full_id,
        totals=False,
    )


def sensitive_field(layout: BankLayout) -> str:
    """What a bank file shows in full, for the access log: the account numbers always, the ID numbers if the
    layout asks for them."""
    has_id = layout.full_id and "id_number" in layout.columns
    return "id_number+bank_account" if has_id else "bank_account"


def download_name(export: BankExport) -> str:
    """The name the bank's file is downloaded under, from the layout's pattern: 青神县最低生活保障2026年01月发放明细
    （农村信用社）.xlsx."""
    p = export.payroll
    spec = format_of(export.layout)
    county = Area.objects.filter(code=p.area_prefix[:6].ljust(12, "0")).values_list("name", flat=True).first()
    return spec.file_name.format(
        county=county or "",
        programme=p.programme.name_zh,
        month=f"{p.month:%Y年%m月}",
        bank=spec.bank,
        fmt=export.fmt,
    )


def bank_root() -> Path:
    return Path(settings.DATA_DIR) / "bank"


def export_path(export: BankExport) -> Path:
    return bank_root() / str(export.payroll_id) / export.stored_name


def _rows(payroll: Payroll, layout: BankLayout) -> Iterator[list]:
    """Each line's values in the layout's columns, from the line alone (one query, read in chunks): text, and the
    amount as a Decimal to the fen (a number in .xlsx, ``720.00`` in CSV; never given the apostrophe that stops a
    formula, doudi/core/cells.py). Lines the bank already returned are not paid again by this file."""
    memo = f"{payroll.programme.name_zh}{payroll.month:%Y年%m月}"
    memo_arrears = memo + "含补发"
    month = f"{payroll.month:%Y-%m}"
    lines = (
        PayrollLine.objects.filter(payroll=payroll)
        .exclude(status=LineStatus.FAILED)
        .order_by("id")
        .values_list("id", "account", "account_holder", "id_number", "amount", "arrears_amount", "area_code")
    )
    for pk, account, holder, number, amount, arrears, area in lines.iterator(chunk_size=5000):
        yield row_values(
            layout,
            ref=str(pk),
            account=account,
            name=holder,
            id_number=number,
            amount=amount,
            memo=memo_arrears if arrears else memo,
            area=area,
            month=month,
        )


def row_values(layout: BankLayout, **values) -> list:
    """One payment in the layout's columns (``values`` keyed by ``COLUMNS``): the ID number masked unless the
    layout needs it in full, the amount a Decimal to the fen."""
    if not layout.full_id:
        values["id_number"] = id_mask(values["id_number"])
    values["amount"] = values["amount"].quantize(CENT)
    return [values[c] for c in layout.columns]


def _totals_row(layout: BankLayout, count: int, total: Decimal) -> list:
    """合计 in the ref column, 共N笔 in the holder's column (or the first other text column), the sum in the amount
    column."""
    row: list = [""] * len(layout.columns)
    row[layout.columns.index("ref")] = TOTALS_LABEL
    others = [i for i, c in enumerate(layout.columns) if c not in ("ref", "amount")]
    where = layout.columns.index("name") if "name" in layout.columns else (others[0] if others else None)
    if where is not None:
        row[where] = f"共{count}笔"
    row[layout.columns.index("amount")] = total
    return row


def _write(path: Path, payroll: Payroll, layout: BankLayout, fmt: str) -> None:
    """Stream the payroll's file to ``path`` and flush it to disk. Should writing fail halfway (a full disk), the
    lines' cursor is closed here, while the transaction that opened it is still there (PostgreSQL reads the lines
    through a server-side cursor, which the transaction's rollback destroys)."""
    rows = _rows(payroll, layout)
    try:
        write_rows(path, rows, layout, fmt)
    finally:
        rows.close()


def write_rows(path: Path, rows: Iterable[list], layout: BankLayout, fmt: str) -> None:
    """The header, ``rows`` (from ``row_values``) and, if the layout has one, the totals row, written to ``path``
    in ``fmt`` and flushed to disk (the examples in docs/examples/bank-files/ are written by this too)."""
    amount_col = layout.columns.index("amount")
    totals = format_of(layout).totals
    count, total = 0, ZERO
    if fmt == "xlsx":
        wb = Workbook(write_only=True)  # rows go to a temporary file as they are appended
        ws = wb.create_sheet("发放明细")
        for i, column in enumerate(layout.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(column, 14)

        def append(values):
            cells = xlsx_row(ws, values)
            amount = WriteOnlyCell(ws, value=values[amount_col])
            amount.number_format = AMOUNT_FORMAT
            cells[amount_col] = amount
            ws.append(cells)

        ws.append(xlsx_row(ws, layout.headers))
        for row in rows:
            count, total = count + 1, total + row[amount_col]
            append(row)
        if totals:
            append(_totals_row(layout, count, total))
        wb.save(path)
        with open(path, "rb+") as f:
            os.fsync(f.fileno())
        return
    with open(path, "w", encoding=layout.encoding, newline="") as f:
        w = csv.writer(f, delimiter=layout.delimiter, lineterminator="\r\n")
        w.writerow(csv_row(layout.headers))
        for row in rows:
            count, total = count + 1, total + row[amount_col]
            w.writerow(csv_row(row))
        if totals:
            w.writerow(csv_row(_totals_row(layout, count, total)))
        f.flush()
        os.fsync(f.fileno())


def _body(path: Path, fmt: str, layout: BankLayout) -> Iterator[list[str]]:
    """The rows after the header of a file this module wrote, read one at a time."""
    if fmt == "xlsx":
        with open_plain(path) as f:  # a file object: openpyxl refuses a name not ending in .xlsx
            wb = load_workbook(f, read_only=True, data_only=True)
            try:
                rows = wb.worksheets[0].iter_rows(values_only=True)
                next(rows, None)
                for row in rows:
                    yield ["" if v is None else str(v) for v in row]
            finally:
                wb.close()
        return
    with open_plain(path) as raw, io.TextIOWrapper(raw, encoding=layout.encoding, newline="") as f:
        rows = csv.reader(f, delimiter=layout.delimiter)
        next(rows, None)
        yield from rows


def _disagrees(what: str) -> ApplicationError:
    return ApplicationError(
        f"银行文件的合计行与明细不一致（{what}），未导出",
        f"The bank file's totals row disagrees with its lines ({what})",
        field="total",
        code="totals_disagree",
    )


def read_total(path: Path, fmt: str, layout: BankLayout, *, leave_out: set[str] = frozenset()) -> tuple[Decimal, int]:
    """The total and number of rows the file itself says (rows whose ref is in ``leave_out`` left out). A totals
    row (合计) is checked against all the rows above it and not counted."""
    ref_col, amount_col = layout.columns.index("ref"), layout.columns.index("amount")
    total, count, all_total, all_count = ZERO, 0, ZERO, 0
    for row in _body(path, fmt, layout):
        if not row or not any(row):
            continue
        if row[ref_col] == TOTALS_LABEL:
            stated = Decimal(row[amount_col])
            if stated != all_total:
                raise _disagrees(f"合计 {stated:.2f}，明细 {all_total:.2f}")
            if f"共{all_count}笔" not in row:
                raise _disagrees(f"明细 {all_count} 笔")
            continue
        amount = Decimal(row[amount_col])
        all_total, all_count = all_total + amount, all_count + 1
        if leave_out and row[ref_col] in leave_out:
            continue
        total += amount
        count += 1
    return total, count


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def export_store(payroll: Payroll, layout: BankLayout, fmt: str, actor, *, expected: Decimal) -> BankExport:
    """Render the file once into the payroll's folder, read its total back from the file as written, and keep it.
    Refused, leaving nothing, if that total is not ``expected`` (the lines' total) or the format cannot hold the
    payroll. Runs inside the export action's transaction, which holds the payroll's row lock."""
    if "ref" not in layout.columns or "amount" not in layout.columns:
        raise ApplicationError(
            "银行文件格式须包含流水号和金额两列", "The layout needs the ref and amount columns", field="layout"
        )
    if fmt == "xlsx" and payroll.line_count + 1 > XLSX_MAX_ROWS:
        raise ApplicationError(
            f"Excel 工作表最多 {XLSX_MAX_ROWS - 1} 行明细，本发放表有 {payroll.line_count} 笔，请导出 CSV",
            f"An .xlsx sheet holds at most {XLSX_MAX_ROWS - 1} lines; export CSV",
            field="fmt",
            code="too_many_rows",
        )
    folder = bank_root() / str(payroll.pk)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(".*.part"):  # left by an export killed halfway (the row lock keeps exports apart)
        stale.unlink(missing_ok=True)
    name = f"{payroll.programme_id}-{payroll.month:%Y%m}-{uuid.uuid4().hex[:8]}.{fmt}"
    part = folder / f".{name}.part"
    try:
        _write(part, payroll, layout, fmt)
        total, count = read_total(part, fmt, layout)
        if total != expected:
            raise ApplicationError(
                f"银行文件合计 {total:.2f} 与发放明细 {expected:.2f} 不一致，未导出",
                f"The file's total {total:.2f} differs from the lines' {expected:.2f}",
                field="total",
                code="totals_disagree",
            )
        sha = _sha256(part)  # of the file as the bank receives it (the download decrypts)
        seal_file(part, folder / name)  # stored sealed (SM4-GCM): account and ID numbers never lie on disk in clear
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return BankExport.objects.create(
        payroll=payroll,
        layout=layout,
        fmt=fmt,
        stored_name=name,
        sha256=sha,
        line_count=count,
        total=total,
        created_by=actor,
    )


def stored_total(export: BankExport) -> Decimal:
    """What the stored file says, less the lines the bank has returned since."""
    failed = {
        str(pk)
        for pk in PayrollLine.objects.filter(payroll_id=export.payroll_id, status=LineStatus.FAILED)
        .values_list("id", flat=True)
        .iterator(chunk_size=10_000)
    }
    return read_total(export_path(export), export.fmt, export.layout, leave_out=failed)[0]


def unexported_total(payroll: Payroll) -> Decimal:
    """Before export: the file as it would be written now, in the default layout (to a temporary file outside the
    bank folder), read back and deleted."""
    layout = default_layout()
    with tempfile.NamedTemporaryFile(prefix=f"doudi-bank-check-{payroll.pk}-", suffix=".csv", delete=False) as f:
        path = Path(f.name)
    try:
        _write(path, payroll, layout, "csv")
        return read_total(path, "csv", layout)[0]
    finally:
        path.unlink(missing_ok=True)


RETURN_HEADERS = {
    "流水号": "ref",
    "ref": "ref",
    "状态": "status",
    "status": "status",
    "原因": "reason",
    "reason": "reason",
    "失败原因": "reason",
    "金额": "amount",
    "amount": "amount",
}
OK_WORDS = {"成功", "success", "ok", "paid", "s", "1"}
FAIL_WORDS = {"失败", "failed", "fail", "f", "0", "退回"}
RETURN_ENCODINGS = ("utf-8-sig", "gb18030")
MAX_ERRORS = 1000  # errors kept to show; every bad row is counted
MAX_RETURN_ROWS = 1_000_000


class ReturnRow(NamedTuple):
    row: int  # in the file, the header being row 1
    ref: int
    paid: bool
    reason: str
    amount_fen: int | None  # the amount the bank gives, if any, in fen


def _return_encoding(stream: BinaryIO) -> str:
    """The first encoding the whole file decodes in (one streaming pass, nothing kept)."""
    for enc in RETURN_ENCODINGS:
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(enc)()
        try:
            while chunk := stream.read(READ_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return enc
        except UnicodeDecodeError:
            continue
    raise ApplicationError("文件编码无法识别", "File encoding not recognised", field="file")


def _unreadable(line: int) -> ApplicationError:
    return ApplicationError(
        f"文件第{line}行无法读取（字段过长、引号不配对或含有二进制内容）",
        f"Row {line} cannot be read (a field too long, an unmatched quote or binary content)",
        field="file",
        code="bad_file",
    )


def _return_table(filename: str, stream: BinaryIO) -> Iterator[list[str]]:
    """The file's rows as text; a file that is not what its name says (a damaged or disguised .xlsx, a binary
    "CSV"), or a row that cannot be read, is refused naming it."""
    if filename.lower().endswith(".xlsx"):
        wb = xlsx_open(stream)  # checks it is a workbook (and no zip bomb) before openpyxl reads it
        try:
            rows = wb.worksheets[0].iter_rows(values_only=True)
            n = 0
            while True:
                try:
                    row = next(rows, None)
                except Exception:  # a damaged sheet inside a readable archive
                    raise _unreadable(n + 1) from None
                if row is None:
                    return
                n += 1
                yield ["" if v is None else str(v) for v in row]
        finally:
            wb.close()
    stream.seek(0)
    if b"\x00" in stream.read(65536):
        raise ApplicationError(
            "该文件不是CSV文本（含有二进制内容）",
            "This is not a CSV text file (it has binary content)",
            field="file",
            code="bad_file",
        )
    encoding = _return_encoding(stream)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text)
    try:
        while True:
            try:
                row = next(reader, None)
            except csv.Error:
                raise _unreadable(reader.line_num + 1) from None
            if row is None:
                return
            yield row
    finally:
        text.detach()  # the caller's stream stays open


def _ref(text: str) -> int:
    """A line's key: 1 to 18 digits (a spreadsheet may give 1041 as 1041.0); ValueError for anything else."""
    if text.endswith(".0"):
        text = text[:-2]
    ref = id_or_none(text) if len(text) <= 19 else None
    if ref is None:
        raise ValueError(text)
    return ref


def return_rows(filename: str, stream: BinaryIO) -> Iterator[ReturnRow]:
    """The bank's return file (ref, status, optionally reason and amount), one checked row at a time. Bad rows are
    collected and, once the whole file is read, refused together naming each row (``bad_rows``), so the caller,
    which applies nothing until the file is read, imports nothing from a file with a bad row. Refs repeated
    within the file and refs not in the payroll are checked by the caller, in the database."""
    rows = _return_table(filename, stream)
    header = next(rows, None)
    if not header:
        raise ApplicationError("回盘文件为空", "The return file is empty", field="file")
    keys = [RETURN_HEADERS.get(h.strip().lower() if h.strip().isascii() else h.strip()) for h in header]
    if "ref" not in keys or "status" not in keys:
        raise ApplicationError(
            "回盘文件须有“流水号”和“状态”两列",
            "The return file needs ref and status columns",
            field="file",
            code="bad_header",
        )
    errors, bad = [], 0

    def error(message):
        nonlocal bad
        bad += 1
        if len(errors) < MAX_ERRORS:
            errors.append(message)

    for n, row in enumerate(rows, start=2):
        if n > MAX_RETURN_ROWS + 1:
            raise ApplicationError(
                f"回盘文件最多{MAX_RETURN_ROWS}行",
                f"A return file has at most {MAX_RETURN_ROWS} rows",
                field="file",
                code="too_many_rows",
            )
        if not any(c.strip() for c in row):
            continue
        rec = {k: (row[i].strip() if i < len(row) else "") for i, k in enumerate(keys) if k}
        try:
            ref = _ref(rec["ref"])
        except ValueError:
            error(f"第{n}行：流水号无效 / row {n}: invalid ref")
            continue
        status = rec["status"].lower()
        if status not in OK_WORDS | FAIL_WORDS:
            error(f"第{n}行：状态应为 成功/失败 / row {n}: status must be success or failed")
            continue
        amount = None
        if rec.get("amount"):
            try:
                amount = int(money_parse(rec["amount"], field="amount", zh_label="金额", en_label="amount") * 100)
            except ApplicationError as e:
                error(f"第{n}行：{e.zh} / row {n}: {e.en}")
                continue
        reason = rec.get("reason", "")
        if len(reason) > 200:
            error(f"第{n}行：原因最多200个字 / row {n}: the reason is at most 200 characters")
            continue
        if has_control_characters(reason):
            error(f"第{n}行：原因含有不允许的控制字符 / row {n}: the reason contains control characters")
            continue
        paid = status in OK_WORDS
        reason = "" if paid else (reason or "银行退回")
        yield ReturnRow(n, ref, paid, reason, amount)
    if bad:
        raise ApplicationError(
            f"回盘文件有 {bad} 行错误，未导入：" + "；".join(errors[:20]),
            f"The return file has {bad} bad rows; nothing was imported",
            field="file",
            code="bad_rows",
            extra={"errors": errors},
        )
