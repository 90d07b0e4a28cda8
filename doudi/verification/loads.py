"""Loading a department's file (CSV, .xlsx or Parquet) as one version of its kind: every row checked against the
kind's declared schema first, then all of it saved and matched, or nothing (MZ/T 072: obtain → verify)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.core.errors import ApplicationError
from doudi.core.uploads import xlsx_open
from doudi.registry.excel import csv_decode, csv_error

from .alerts import alerts_raise
from .discovery import discoveries_raise, discoveries_reassess_assets
from .events import VerificationEvent
from .ids import ID_MISSING, DeptId, dept_id
from .matching import fuzzy_match, records_match
from .models import DatasetLoad, DatasetRecord, VerificationRequest
from .monitoring import register_recompute
from .report import both
from .schemas import CHOICE, DATE, INT, MONEY, MONTH, DatasetKind, kind_get

MAX_ROWS = 200_000
MAX_ERRORS_SHOWN = 200
CENT = Decimal("0.01")


@dataclass
class RowError:
    row: int  # the row in the file (the header is row 1)
    column: str  # the element's Chinese name
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        return f"第{self.row}行【{self.column}】{self.message}"


@dataclass
class Parsed:
    rows: list[dict] = field(default_factory=list)  # element code -> checked value, plus "_row" and "_id"
    errors: list[RowError] = field(default_factory=list)


def _refuse_format() -> ApplicationError:
    return ApplicationError(
        "只接受 .csv、.xlsx 或 .parquet 文件",
        "Only .csv, .xlsx or .parquet files are accepted",
        field="file",
        code="bad_file",
    )


def table_read(filename: str, content: bytes) -> tuple[list[str], list[tuple]]:
    """The header and the rows of a CSV (UTF-8 or GBK), .xlsx or Parquet file."""
    name = filename.lower()
    if name.endswith(".csv"):
        reader = csv.reader(io.StringIO(csv_decode(content)))
        try:
            header = next(reader, None) or []
            rows = [tuple(r) for r in itertools.islice(reader, MAX_ROWS + 1)]
        except csv.Error:
            raise csv_error(reader.line_num) from None
    elif name.endswith(".xlsx"):
        wb = xlsx_open(content)
        try:
            it = wb.worksheets[0].iter_rows(values_only=True)
            header = list(next(it, None) or [])
            rows = list(itertools.islice(it, MAX_ROWS + 1))
        except Exception:  # a damaged sheet inside a readable archive
            raise ApplicationError(
                "无法读取该Excel文件的工作表", "Cannot read the sheet of this Excel file", field="file", code="bad_file"
            ) from None
    elif name.endswith(".parquet"):
        header, rows = _parquet_read(content)
    else:
        raise _refuse_format()
    if len(rows) > MAX_ROWS:
        raise ApplicationError(
            f"一次最多导入{MAX_ROWS}行，请拆分文件",
            f"At most {MAX_ROWS} rows per file",
            field="file",
            code="too_many_rows",
        )
    return [str(h or "").strip() for h in header], rows


def _parquet_read(content: bytes) -> tuple[list[str], list[tuple]]:
    import duckdb  # noqa: PLC0415  (150 ms to import: only a Parquet file needs it, not every process start)

    if not content.startswith(b"PAR1"):
        raise ApplicationError(
            "该文件不是Parquet格式", "This file is not a Parquet file", field="file", code="bad_file"
        )
    with tempfile.NamedTemporaryFile(suffix=".parquet") as f:
        f.write(content)
        f.flush()
        try:
            con = duckdb.connect()
            rel = con.read_parquet(f.name)
            header = list(rel.columns)
            rows = rel.limit(MAX_ROWS + 1).fetchall()
            con.close()
        except duckdb.Error:
            raise ApplicationError(
                "无法读取该Parquet文件", "Cannot read this Parquet file", field="file", code="bad_file"
            ) from None
    return header, rows


def _header_map(kind: DatasetKind, header: list[str]) -> dict[int, str]:
    """Column position → element code; refuses a file that lacks a required column, naming each."""
    labels = {}
    for e in kind.elements:
        for label in (e.zh, e.code, e.en, *e.aliases):
            labels[_norm(label)] = e.code
    labels[_norm(kind.request_headers[0])], labels[_norm(kind.request_headers[1])] = "name", "id_number"
    found = {i: labels[_norm(h)] for i, h in enumerate(header) if _norm(h) in labels}
    missing = [e.zh for e in kind.elements if e.code not in found.values() and (e.required or e.code == "id_number")]
    if missing:
        raise ApplicationError(
            f"{kind.zh}文件的表头缺少必需的列：{'、'.join(missing)}",
            f"The {kind.en} file's header lacks required columns: {', '.join(missing)}",
            field="file",
            code="bad_header",
            extra={"missing": missing},
        )
    return found


def _norm(label: str) -> str:
    return re.sub(r"[\s　\ufeff]", "", str(label)).lower()


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _value(element, raw, as_of: dt.date) -> tuple[object, str | None]:
    """The checked value of one cell, or the reason (Chinese) it is refused."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ("不能为空" if element.required else None)
    if element.type == DATE:
        day = _date(raw)
        if day is None:
            return None, f"日期格式应为YYYY-MM-DD，实际为“{raw}”"
        if day > as_of:
            return None, f"日期 {day:%Y-%m-%d} 晚于数据截止日期 {as_of:%Y-%m-%d}"
        if day.year < 1900:
            return None, f"日期 {day:%Y-%m-%d} 早于1900年"
        return day.isoformat(), None
    if element.type == MONTH:
        text = raw.strftime("%Y-%m") if isinstance(raw, (dt.date, dt.datetime)) else str(raw).strip()
        m = re.fullmatch(r"(\d{4})-?(\d{1,2})", text)
        if not m or not 1 <= int(m.group(2)) <= 12:
            return None, f"月份格式应为YYYY-MM，实际为“{raw}”"
        return f"{m.group(1)}-{int(m.group(2)):02d}", None
    if element.type == MONEY:
        text = str(raw).replace(",", "").replace("，", "").replace("元", "").strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return None, f"应为金额（元），实际为“{raw}”"
        if not amount.is_finite() or amount < 0:
            return None, f"金额不能为负数或非数字：“{raw}”"
        if isinstance(raw, float):
            amount = amount.quantize(CENT)
        if amount != amount.quantize(CENT):
            return None, f"金额最多两位小数（到分）：“{raw}”"
        if amount >= Decimal("1000000000000"):
            return None, f"金额过大：“{raw}”"
        return str(amount.quantize(CENT)), None
    if element.type == INT:
        text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()
        if not re.fullmatch(r"\d{1,9}", text):
            return None, f"应为整数，实际为“{raw}”"
        number = int(text)
        if element.code == "grade" and not 1 <= number <= 4:
            return None, f"残疾等级应为1至4级，实际为{number}"
        if element.code == "year" and not 1990 <= number <= as_of.year:
            return None, f"年度应在1990至{as_of.year}之间，实际为{number}"
        return number, None
    text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()
    if element.type == CHOICE:
        for code, label in element.choices:
            if text in (code, label):
                return code, None
        return None, f"取值“{text}”无效，可选：{'、'.join(label for _c, label in element.choices)}"
    if len(text) > element.max_length:
        return None, f"最多{element.max_length}个字，实际{len(text)}个"
    if any(ord(ch) < 32 for ch in text):
        return None, "含有控制字符"
    return text, None


def rows_check(kind: DatasetKind, header: list[str], rows: list[tuple], *, as_of: dt.date) -> Parsed:
    """Every row against the kind's schema: each refusal names its row and column, in Chinese."""
    columns = _header_map(kind, header)
    out = Parsed()
    for offset, raw in enumerate(rows):
        rownum = offset + 2
        if raw is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        row: dict = {"_row": rownum}
        for i, code in columns.items():
            element = kind.element(code)
            cell = raw[i] if i < len(raw) else None
            if code == "id_number":
                parsed = dept_id("" if cell is None else str(cell))
                if isinstance(parsed, str):
                    out.errors.append(RowError(rownum, element.zh, parsed))
                else:
                    row["_id"] = parsed
                continue
            value, problem = _value(element, cell, as_of)
            if problem:
                out.errors.append(RowError(rownum, element.zh, problem))
            elif value is not None:
                row[code] = value
        out.rows.append(row)
    if not out.rows and not out.errors:
        raise ApplicationError("文件中没有数据行", "The file has no data rows", field="file", code="empty")
    return out


def dataset_load(
    *,
    actor,
    kind: str,
    as_of: dt.date,
    filename: str,
    content: bytes,
    request: VerificationRequest | None = None,
    area_prefix: str | None = None,
) -> DatasetLoad:
    """Check the whole file, then save it as the next version of its kind for the loader's area and match every
    record to the registry — all in one transaction, so a refusal leaves nothing. ``area_prefix`` only for a
    system load (the demo county's, with no actor)."""
    if actor is not None:
        perm_require(actor, Perm.VERIFICATION_LOAD)
        area_prefix = actor.scope_prefix
    spec = kind_get(kind)
    if not isinstance(as_of, dt.date):
        raise ApplicationError("请填写数据截止日期", "The as-of date is required", field="as_of", code="required")
    header, rows = table_read(filename, content)
    parsed = rows_check(spec, header, rows, as_of=as_of)
    if parsed.errors:
        shown = parsed.errors[:MAX_ERRORS_SHOWN]
        raise ApplicationError(
            f"{len(parsed.errors)}处数据有误，整个文件未导入。{'；'.join(str(e) for e in shown[:5])}",
            f"{len(parsed.errors)} problems; nothing was loaded (row and column in the list)",
            field="file",
            code="bad_rows",
            extra={"errors": [e.as_dict() for e in shown], "error_count": len(parsed.errors)},
        )
    if request is not None:
        _answer_check(request, spec, parsed)
    with transaction.atomic():
        return _save(actor, spec, as_of, filename, content, parsed, request, area_prefix)


def _answer_check(request: VerificationRequest, spec: DatasetKind, parsed: Parsed) -> None:
    """An answer names only people the request asked about (matched back by ID number)."""
    if spec.code not in request.kinds:
        raise ApplicationError(
            f"该请求未申请核对“{spec.zh}”",
            f"The request did not ask for {spec.en}",
            field="kind",
            code="not_requested",
        )
    asked = {s.person.id_number for s in request.subjects.select_related("person")}
    errors = [
        RowError(r["_row"], "公民身份号码", "此人不在本次核对请求中")
        for r in parsed.rows
        if r.get("_id") is None or r["_id"].number not in asked
    ]
    if errors:
        raise ApplicationError(
            f"答复中有{len(errors)}人不在本次核对请求中，整个文件未导入。{'；'.join(str(e) for e in errors[:5])}",
            f"{len(errors)} people in the answer were not in the request; nothing was loaded",
            field="file",
            code="not_requested",
            extra={"errors": [e.as_dict() for e in errors[:MAX_ERRORS_SHOWN]], "error_count": len(errors)},
        )


def _save(actor, spec, as_of, filename, content, parsed, request, prefix) -> DatasetLoad:
    last = DatasetLoad.objects.filter(kind=spec.code, area_prefix=prefix).aggregate(v=Max("version"))["v"] or 0
    load = DatasetLoad.objects.create(
        kind=spec.code,
        department=spec.department,
        as_of=as_of,
        version=last + 1,
        area_prefix=prefix,
        file_name=filename[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        rows=len(parsed.rows),
        request=request,
        loaded_by=actor,
        batch_id=str(uuid.uuid4()),
    )
    sensitive = set(spec.sensitive_codes) - {"id_number"}
    records = []
    for r in parsed.rows:
        ident: DeptId = r.get("_id") or DeptId(None, ID_MISSING)
        records.append(
            DatasetRecord(
                load=load,
                row=r["_row"],
                name=r.get("name", ""),
                id_number=ident.number,
                id_note=ident.note,
                values={k: v for k, v in r.items() if not k.startswith("_") and k != "name" and k not in sensitive},
                sealed=json.dumps({k: r[k] for k in sensitive if k in r}, ensure_ascii=False, sort_keys=True)
                if sensitive & r.keys()
                else "",
            )
        )
    matched = records_match(records, prefix)
    DatasetRecord.objects.bulk_create(records, batch_size=1000)
    matched += fuzzy_match(load, prefix)
    load.matched, load.unmatched = matched, load.rows - matched
    load.save(update_fields=["matched", "unmatched"])
    alerts_raise(actor=actor, load=load)
    discoveries_raise(actor=actor, load=load)
    discoveries_reassess_assets(actor=actor, load=load)
    register_recompute(
        actor=actor,
        area_prefix=prefix,
        on=timezone.localdate(),
        household_ids=set(load.records.filter(household__isnull=False).values_list("household_id", flat=True)),
        cause=both(f"{spec.zh}数据第 {load.version} 版", f"{spec.en} data, version {load.version}"),
    )
    if request is not None and request.state == VerificationRequest.State.SENT:
        answered = set(request.answers.values_list("kind", flat=True))
        if answered >= set(request.kinds):
            request.state = VerificationRequest.State.ANSWERED
            # the day the answer came in (its last file loaded), tracked against the deadline: not the data's
            # as-of date, which is often before the request was even sent
            request.answered_on = max(timezone.localdate(), request.sent_on)
            request.save(update_fields=["state", "answered_on"])
    audit_record(
        actor=actor,
        action=VerificationEvent.REQUEST_ANSWER if request else VerificationEvent.DATASET_LOAD,
        kind=EventKind.BATCH,
        target=load,
        area_code=prefix.ljust(12, "0")[:12],
        batch_id=load.batch_id,
        new={
            "kind": spec.code,
            "version": load.version,
            "as_of": as_of.isoformat(),
            "rows": load.rows,
            "matched": load.matched,
            "sha256": load.sha256,
            "request": request.reference if request else None,
        },
    )
    return load
