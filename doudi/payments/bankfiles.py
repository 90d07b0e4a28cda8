"""Bank files in a configurable layout (CSV or .xlsx), their totals read back from the file itself, and the
bank's return file. Example files: docs/examples/bank-file.csv and docs/examples/bank-return.csv."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from doudi.core.errors import ApplicationError
from doudi.core.idnumber import id_mask
from doudi.core.money import money_parse
from doudi.core.uploads import xlsx_open
from doudi.core.validation import id_or_none
from doudi.core.xlsx import row_as_text

from .models import BankExport, BankLayout, Payroll, PayrollLine

ZERO = Decimal("0.00")
MAX_RETURN_ROWS = 1_000_000


def bank_root() -> Path:
    return Path(settings.DATA_DIR) / "bank"


def _rows(payroll: Payroll, layout: BankLayout, *, include_failed: bool = False):
    lines = PayrollLine.objects.filter(payroll=payroll).order_by("id")
    if not include_failed:
        lines = lines.exclude(status="failed")
    for line in lines.select_related("household", "enrolment__person").iterator(chunk_size=5000):
        number = _id_number(line)
        values = {
            "ref": str(line.pk),
            "account": line.account,
            "name": line.account_holder,
            "id_number": number if layout.full_id else id_mask(number),
            "amount": f"{line.amount:.2f}",
            "memo": f"{payroll.programme.name_zh}{payroll.month:%Y年%m月}" + ("含补发" if line.arrears_amount else ""),
            "area": line.area_code,
            "month": f"{payroll.month:%Y-%m}",
        }
        yield [values[c] for c in layout.columns]


def _id_number(line: PayrollLine) -> str:
    person = line.enrolment.person if line.enrolment.person_id else None
    if person is None:
        head = (
            line.household.memberships.filter(end_date__isnull=True, relation="head").select_related("person").first()
        )
        person = head.person if head else None
    return (person.id_number or "") if person else ""


def render(payroll: Payroll, layout: BankLayout, fmt: str = "csv") -> bytes:
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("发放明细")
        ws.append(layout.headers)
        for row in _rows(payroll, layout):
            ws.append(row_as_text(ws, row))
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=layout.delimiter, lineterminator="\r\n")
    w.writerow(layout.headers)
    for row in _rows(payroll, layout):
        w.writerow(row)
    return buf.getvalue().encode(layout.encoding)


def export_store(payroll: Payroll, layout: BankLayout, fmt: str, actor) -> BankExport:
    content = render(payroll, layout, fmt)
    folder = bank_root() / str(payroll.pk)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{payroll.programme_id}-{payroll.month:%Y%m}-{uuid.uuid4().hex[:8]}.{fmt}"
    (folder / name).write_bytes(content)
    total, count = parse_total(content, fmt, layout)
    return BankExport.objects.create(
        payroll=payroll,
        layout=layout,
        fmt=fmt,
        stored_name=name,
        sha256=hashlib.sha256(content).hexdigest(),
        line_count=count,
        total=total,
        created_by=actor,
    )


def _table(content: bytes, fmt: str, encoding: str = "utf-8-sig", delimiter: str = ",", limit: int | None = None):
    """The rows of a CSV or .xlsx file (at most ``limit`` + 1 of them when a limit is given); a file that is
    not what its name says, or cannot be read, is refused naming the row."""
    if fmt == "xlsx":
        ws = xlsx_open(content).worksheets[0]
        try:
            return [
                [("" if v is None else str(v)) for v in row]
                for row in itertools.islice(ws.iter_rows(values_only=True), None if limit is None else limit + 1)
            ]
        except Exception:  # a damaged sheet inside a readable archive
            raise ApplicationError(
                "无法读取该Excel文件的工作表", "Cannot read the sheet of this Excel file", field="file", code="bad_file"
            ) from None
    if b"\x00" in content[:65536]:
        raise ApplicationError(
            "该文件不是CSV文本（含有二进制内容）",
            "This is not a CSV text file (it has binary content)",
            field="file",
            code="bad_file",
        )
    for enc in (encoding, "utf-8-sig", "gb18030"):
        try:
            text = content.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ApplicationError("文件编码无法识别", "File encoding not recognised", field="file")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return list(itertools.islice(reader, None if limit is None else limit + 1))
    except csv.Error:
        raise ApplicationError(
            f"文件第{reader.line_num}行无法读取（字段过长、引号不配对或含有二进制内容）",
            f"Row {reader.line_num} cannot be read (a field too long, an unmatched quote or binary content)",
            field="file",
            code="bad_file",
        ) from None


def parse_total(content: bytes, fmt: str, layout: BankLayout) -> tuple[Decimal, int]:
    rows = _table(content, fmt, layout.encoding, layout.delimiter)
    col = layout.columns.index("amount")
    total = sum((Decimal(r[col]) for r in rows[1:] if r), ZERO)
    return total, sum(1 for r in rows[1:] if r)


def file_total(payroll: Payroll) -> Decimal:
    """What the bank file says: the stored file (less lines the bank returned), or — before export — the file
    as it would be written now."""
    export = payroll.exports.order_by("-id").first()
    if export is None:
        from .actions import default_layout

        layout = default_layout()
        return parse_total(render(payroll, layout, "csv"), "csv", layout)[0]
    content = (bank_root() / str(payroll.pk) / export.stored_name).read_bytes()
    rows = _table(content, export.fmt, export.layout.encoding, export.layout.delimiter)
    ref_col, amount_col = export.layout.columns.index("ref"), export.layout.columns.index("amount")
    failed = {str(i) for i in PayrollLine.objects.filter(payroll=payroll, status="failed").values_list("id", flat=True)}
    return sum((Decimal(r[amount_col]) for r in rows[1:] if r and r[ref_col] not in failed), ZERO)


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


def return_parse(filename: str, content: bytes) -> dict[int, tuple[bool, str, Decimal | None]]:
    """ref → (paid?, reason, amount). Every bad row is named; nothing is applied if any row is bad."""
    fmt = "xlsx" if filename.lower().endswith(".xlsx") else "csv"
    rows = _table(content, fmt, limit=MAX_RETURN_ROWS)
    if not rows:
        raise ApplicationError("回盘文件为空", "The return file is empty", field="file")
    if len(rows) > MAX_RETURN_ROWS:
        raise ApplicationError(
            f"回盘文件最多{MAX_RETURN_ROWS}行",
            f"A return file has at most {MAX_RETURN_ROWS} rows",
            field="file",
            code="too_many_rows",
        )
    keys = [RETURN_HEADERS.get(h.strip().lower() if h.strip().isascii() else h.strip()) for h in rows[0]]
    if "ref" not in keys or "status" not in keys:
        raise ApplicationError(
            "回盘文件须有“流水号”和“状态”两列",
            "The return file needs ref and status columns",
            field="file",
            code="bad_header",
        )
    out, errors = {}, []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        rec = {k: (row[i].strip() if i < len(row) else "") for i, k in enumerate(keys) if k}
        ref = id_or_none(rec["ref"])
        if ref is None:
            errors.append(f"第{n}行：流水号无效 / row {n}: invalid ref")
            continue
        status = rec["status"].lower()
        if status not in OK_WORDS | FAIL_WORDS:
            errors.append(f"第{n}行：状态应为 成功/失败 / row {n}: status must be success or failed")
            continue
        amount = None
        if rec.get("amount"):
            try:
                amount = money_parse(rec["amount"], field="amount", zh_label="金额", en_label="amount")
            except ApplicationError as e:
                errors.append(f"第{n}行：{e.zh} / row {n}: {e.en}")
                continue
        if len(rec.get("reason", "")) > 200:
            errors.append(f"第{n}行：原因最多200个字 / row {n}: the reason is at most 200 characters")
            continue
        if ref in out:
            errors.append(f"第{n}行：流水号 {ref} 重复 / row {n}: ref {ref} repeated")
            continue
        out[ref] = (status in OK_WORDS, rec.get("reason", ""), amount)
    if errors:
        raise ApplicationError(
            "回盘文件有错误，未导入：" + "；".join(errors[:20]),
            "The return file has errors",
            field="file",
            code="bad_rows",
            extra={"errors": errors},
        )
    return out
