"""The year's veterans' amounts (优抚标准, domain.md §5e): the table the veterans affairs department sends each year
(national standards change from 1 August), loaded from its .xlsx or CSV.

The file has one row per category, one per disabled servicemen's cause and grade (as the national table
《伤残抚恤金标准》: 因战 and 因公 grades 1–10, 因病 grades 1–6), and one per one-off grant, with the columns 类别 (the
category's or grant's Chinese name, or its code), 伤残等级 (1–10) and 伤残性质 (因战、因公、因病 or war, duty,
illness), both for disabled servicemen only, 金额（元） and 生效日期 (the same on every row). ``amounts_preview`` reads it whole: any error names the row and the column and nothing is kept; a good
file gives the table beside the one in force, and a signed token. ``amounts_confirm`` turns the token into one
draft parameter version of the county (``parameter_version_create``), which a county approver who did not draft
it approves on the version's page, as every parameter version (docs/policy.md, "Parameter versions")."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.core import signing

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.audit.actions import audit_record
from doudi.core.actions import action
from doudi.core.errors import ApplicationError
from doudi.core.money import money_parse
from doudi.core.uploads import xlsx_open
from doudi.programmes.actions import parameter_version_create
from doudi.programmes.models import ParameterVersion
from doudi.programmes.params import params_dump, params_parse
from doudi.programmes.selectors import params_in_force
from doudi.programmes.shapes.veterans import (
    CATEGORIES,
    CAUSES,
    GRADES,
    GRANTS,
    SPECS,
    cause_grades,
    disabled_grid,
    disabled_param,
)
from doudi.registry.excel import csv_decode

from .events import VeteranEvent

PROGRAMME = "veterans"
COLUMNS = {
    "category": "类别",
    "grade": "伤残等级",
    "cause": "伤残性质",
    "amount": "金额（元）",
    "effective_from": "生效日期",
}
ALIASES = {"category": ("类别", "优抚类别", "category"), "grade": ("伤残等级", "等级", "grade"),
           "cause": ("伤残性质", "致残原因", "cause"),
           "amount": ("金额（元）", "金额", "月标准（元）", "标准", "amount"),
           "effective_from": ("生效日期", "effective_from")}  # fmt: skip
MAX_ROWS = 200
# Every accepted name of a row's 伤残性质 → its code
CAUSE_NAMES = {name: code for code, zh, _en, _grades in CAUSES for name in (code, zh)}
SALT = "doudi.veterans.amounts"


def _names() -> dict[str, tuple[str, str, str]]:
    """Every accepted name of a row's 类别 → (kind: category|grant, code, parameter or "" for by grade)."""
    out = {}
    for code, zh, _en, param in CATEGORIES:
        if code == "kmt_veteran":
            continue  # no monthly amount: its grant is a row of its own
        for name in (code, zh):
            out[name] = ("category", code, param or "")
    for code, zh, _en, param, _cats in GRANTS:
        for name in (f"grant:{code}", zh):
            out[name] = ("grant", code, param)
    return out


@dataclass
class AmountRow:
    param: str
    label: str
    amount: Decimal
    current: Decimal | None = None

    @property
    def change(self) -> Decimal | None:
        return None if self.current is None else self.amount - self.current


@dataclass
class Preview:
    filename: str
    effective_from: dt.date
    rows: list[AmountRow] = field(default_factory=list)
    token: str = ""


def _refuse(row: int, column: str, zh: str, en: str) -> ApplicationError:
    where_zh = f"第{row}行“{column}”列" if row else f"“{column}”列"
    where_en = f"row {row}, column {column}" if row else f"column {column}"
    return ApplicationError(f"{where_zh}：{zh}", f"{where_en}: {en}", field=f"row {row}" if row else column)


def _table(filename: str, content: bytes) -> tuple[list[str], list[tuple]]:
    name = (filename or "").lower()
    if name.endswith(".csv"):
        reader = csv.reader(io.StringIO(csv_decode(content)))
        try:
            header = next(reader, None) or []
            rows = [tuple(r) for r in itertools.islice(reader, MAX_ROWS + 1)]
        except csv.Error:
            raise ApplicationError(
                f"CSV第{reader.line_num}行格式有误", f"CSV line {reader.line_num} is malformed", field="file"
            ) from None
    elif name.endswith(".xlsx"):
        wb = xlsx_open(content)
        it = wb.worksheets[0].iter_rows(values_only=True)
        header = list(next(it, None) or [])
        rows = list(itertools.islice(it, MAX_ROWS + 1))
    else:
        raise ApplicationError("请上传 .xlsx 或 .csv 文件", "Upload an .xlsx or .csv file", field="file")
    if len(rows) > MAX_ROWS:
        raise ApplicationError(f"最多{MAX_ROWS}行", f"At most {MAX_ROWS} rows", field="file")
    return [str(h or "").strip() for h in header], rows


def _columns(header: list[str]) -> dict[str, int]:
    where = {}
    for key, names in ALIASES.items():
        for i, h in enumerate(header):
            if h in names:
                where[key] = i
                break
        else:
            raise _refuse(1, COLUMNS[key], "缺少此列", "is missing")
    return where


def _cell(row: tuple, i: int) -> str:
    value = row[i] if i < len(row) else None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def amounts_read(filename: str, content: bytes) -> tuple[dt.date, dict[str, str]]:
    """The file's effective date and parameter values, checked whole: every category and grade and every grant
    exactly once, amounts with at most two decimals; the first error names its row and column."""
    header, rows = _table(filename, content)
    col = _columns(header)
    names = _names()
    values: dict[str, str] = {}
    seen: dict[str, int] = {}
    effective: dt.date | None = None
    for n, row in enumerate(rows, start=2):
        if not any(_cell(row, i) for i in range(len(row))):
            continue
        name = _cell(row, col["category"])
        if name not in names:
            raise _refuse(n, COLUMNS["category"], f"未知类别“{name[:20]}”", f"unknown category {name[:20]!r}")
        kind, code, param = names[name]
        grade_text = _cell(row, col["grade"])
        cause_text = _cell(row, col["cause"])
        if kind == "category" and code == "disabled":
            if grade_text not in {str(g) for g in GRADES}:
                raise _refuse(n, COLUMNS["grade"], "残疾军人须填1至10级", "a disabled serviceman needs grade 1 to 10")
            cause = CAUSE_NAMES.get(cause_text)
            if cause is None:
                raise _refuse(
                    n,
                    COLUMNS["cause"],
                    f"残疾军人须填因战、因公或因病{f'（不是“{cause_text[:10]}”）' if cause_text else ''}",
                    "a disabled serviceman needs war, duty or illness",
                )
            if int(grade_text) not in cause_grades(cause):
                raise _refuse(
                    n,
                    COLUMNS["grade"],
                    "因病只有一至六级（七至十级不享受伤残抚恤金）",
                    "illness has grades 1 to 6 only (grades 7 to 10 carry no pension)",
                )
            param = disabled_param(cause, int(grade_text))
        elif grade_text:
            raise _refuse(n, COLUMNS["grade"], "只有残疾军人填写等级", "only disabled servicemen have a grade")
        elif cause_text:
            raise _refuse(n, COLUMNS["cause"], "只有残疾军人填写伤残性质", "only disabled servicemen have a cause")
        try:
            amount = money_parse(_cell(row, col["amount"]), field="amount", zh_label="金额", en_label="amount")
        except ApplicationError as e:
            raise _refuse(n, COLUMNS["amount"], e.zh, e.en) from None
        day_text = _cell(row, col["effective_from"])
        try:
            day = dt.date.fromisoformat(day_text[:10])
        except ValueError:
            raise _refuse(n, COLUMNS["effective_from"], "日期格式应为 YYYY-MM-DD", "must be YYYY-MM-DD") from None
        if effective is None:
            effective = day
        elif day != effective:
            raise _refuse(n, COLUMNS["effective_from"], "各行生效日期应相同", "differs from the first row's")
        if param in seen:
            raise _refuse(n, COLUMNS["category"], f"与第{seen[param]}行重复", f"repeats row {seen[param]}")
        seen[param] = n
        values[param] = str(amount)
    if effective is None:
        raise ApplicationError("文件没有数据行", "The file has no rows", field="file")
    missing = [p for p in _param_labels() if p not in values]
    if missing:
        label = _param_labels()[missing[0]]
        raise ApplicationError(
            f"缺少“{label}”一行（共缺{len(missing)}行）",
            f"The row for {missing[0]} is missing ({len(missing)} missing)",
            field="file",
        )
    try:
        params_parse(PROGRAMME, values)
    except ApplicationError as e:
        raise _refuse(seen.get(e.field, 0), COLUMNS["amount"], e.zh, e.en) from None
    return effective, values


def _param_labels() -> dict[str, str]:
    """Every parameter of the table by its Chinese name ("因公三级残疾军人", "烈士遗属", "春节慰问金")."""
    return {s.name: s.zh for s in SPECS}


def amounts_table(on: dt.date, *, en: bool = False, values: dict | None = None) -> list[dict]:
    """Each parameter's label and amount in force on ``on`` (with ``values``: beside them)."""
    try:
        current = params_in_force(PROGRAMME, on).values
    except ApplicationError:
        current = {}
    return [
        {
            "param": s.name,
            "label": s.label(en),
            "unit": s.unit_en if en else s.unit,
            "current": current.get(s.name),
            "new": Decimal(values[s.name]) if values and s.name in values else None,
        }
        for s in SPECS
    ]


def amounts_split(rows: list, *, en: bool = False) -> tuple[list[tuple[str, list]], list]:
    """``rows`` (each with its ``param``) as the pages show them: the disabled servicemen's grade × cause grid, and
    the other rows in order."""
    by_param = {row["param"] if isinstance(row, dict) else row.param: row for row in rows}
    grid = disabled_grid(by_param, en=en)
    shown = {id(cell) for _label, cells in grid for cell in cells if cell is not None}
    return grid, [row for row in rows if id(row) not in shown]


def amounts_preview(*, actor, filename: str, content: bytes) -> Preview:
    """Read the file whole (nothing is kept): the table beside the one in force on its date, and a token."""
    perm_require(actor, Perm.PARAMETERS_EDIT)
    effective, values = amounts_read(filename, content)
    preview = Preview(filename=filename[:100], effective_from=effective)
    preview.rows = [
        AmountRow(row["param"], row["label"], row["new"], row["current"])
        for row in amounts_table(effective, values=values)
    ]
    preview.token = signing.dumps(
        {"by": actor.pk, "on": effective.isoformat(), "values": values, "file": preview.filename}, salt=SALT
    )
    return preview


@action
def amounts_confirm(*, actor, token: str) -> ParameterVersion:
    """The previewed table as one draft version of the county's parameters (one transaction: the version and its
    audit event)."""
    perm_require(actor, Perm.PARAMETERS_EDIT)
    try:
        data = signing.loads(token, salt=SALT, max_age=3600)
    except signing.BadSignature:
        raise ApplicationError(
            "预览已失效，请重新上传文件", "The preview has expired: upload again", field="token"
        ) from None
    if data.get("by") != actor.pk:
        raise ApplicationError("预览已失效，请重新上传文件", "The preview has expired: upload again", field="token")
    county = actor.scope_prefix[:6].ljust(12, "0")
    version = parameter_version_create(
        actor=actor,
        programme=PROGRAMME,
        area_code=county,
        effective_from=dt.date.fromisoformat(data["on"]),
        values=params_dump(params_parse(PROGRAMME, data["values"])),
        note=f"优抚标准导入：{data['file']}"[:200],
    )
    audit_record(
        actor=actor,
        action=VeteranEvent.AMOUNTS_LOAD,
        target=version,
        area_code=county,
        new={"file": data["file"], "effective_from": data["on"]},
    )
    return version
