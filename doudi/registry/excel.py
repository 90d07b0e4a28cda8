"""Excel/CSV import and export of households and members in the documented template (docs/import.md).

One row per member; rows with the same 户编号 (household reference) form one household, and its household
columns are read from its first row. Import is all-or-nothing: every row is checked first, and any error
produces a row-by-row report and saves nothing.
"""

from __future__ import annotations

import csv
import io
import itertools
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from doudi.accounts.roles import Perm
from doudi.accounts.scope import area_in_scope, perm_require
from doudi.areas.models import Area
from doudi.audit.actions import access_record, audit_record
from doudi.audit.models import EventKind
from doudi.core.cells import xlsx_row
from doudi.core.crypto import blind_index
from doudi.core.errors import ApplicationError
from doudi.core.idnumber import account_mask, id_mask
from doudi.core.uploads import xlsx_open

from . import actions
from .choices import DisabilityKind, Employment, HukouType, LabourCapacity, Relation, Sex
from .events import RegistryEvent
from .models import Membership, Person
from .validation import HOUSEHOLD_FIELDS, account_check_warning, household_clean, person_clean, relation_clean

# (key, Chinese header). The English key is accepted as a header too.
COLUMNS = [
    ("household_ref", "户编号"),
    ("area_code", "村/社区"),
    ("hukou_type", "户籍类型"),
    ("hukou_place", "户籍所在地"),  # only for a hukou outside the county (the notes say so)
    ("residence_permit", "持本县居住证"),
    ("address", "居住地址"),
    ("phone", "联系电话"),
    ("bank_name", "开户银行"),
    ("bank_account", "银行账号"),
    ("account_holder", "账户户名"),
    ("name", "姓名"),
    ("id_number", "身份证号"),
    ("relation", "与户主关系"),
    ("sex", "性别"),
    ("birth_date", "出生日期"),
    ("student", "在校学生"),
    ("labour_capacity", "劳动能力"),
    ("employment", "就业状况"),
    ("disability_kind", "残疾类别"),
    ("disability_grade", "残疾等级"),
    ("disability_card", "残疾证号"),
    ("serious_illness", "认定重病"),
    ("diagnosis", "诊断"),
]
# Other headers people write for the same columns (the template's header before villages could be named).
HEADER_ALIASES = {
    "村社区区划代码": "area_code",
    "区划代码": "area_code",
    "村社区": "area_code",
    "村/社区名称": "area_code",
}
HEADER_TO_KEY = {**HEADER_ALIASES, **{zh: key for key, zh in COLUMNS}, **{key: key for key, _zh in COLUMNS}}
# Names beside the forms' labels that registers use for the same thing.
CHOICE_ALIASES = {
    "labour_capacity": {"完全丧失劳动能力": "none", "丧失劳动能力": "none", "部分丧失": "partial", "有劳力": "full"},
    "relation": {"本人": "head", "夫": "spouse", "妻": "spouse", "子": "child", "女": "child"},
}
HOUSEHOLD_KEYS = ("area_code", *HOUSEHOLD_FIELDS)  # a row's household columns: where, then the form's fields
CHOICE_COLUMNS = {
    "hukou_type": HukouType,
    "relation": Relation,
    "sex": Sex,
    "labour_capacity": LabourCapacity,
    "employment": Employment,
    "disability_kind": DisabilityKind,
}
MAX_ROWS = 200_000
NOTES = {
    "area_code": "村/社区名称（如“东风村”；重名时写“汉阳镇东风村”）或12位区划代码，须在您的管辖范围内",
    "bank_account": "10至32位数字；银行卡号校验位不符时仍导入，但在结果中提示核对",
    "disability_grade": "1至4级：填 3、3级 或 三级 均可；与残疾类别同时填写",
    "household_ref": "同一户编号的行为同一户，家庭信息取该户第一行",
    "hukou_place": "户籍不在本县的家庭填写户籍所在地（如“四川省仁寿县文林镇”），村/社区填其在本县的居住地；本县户籍留空",
    "residence_permit": "非本县户籍且持本县居住证的填“是”",
}


def _label_maps() -> dict[str, dict[str, str]]:
    """Accept a choice's code, its Chinese label or its English label."""
    maps = {}
    for key, choices in CHOICE_COLUMNS.items():
        m = {v: v for v in choices.values}
        for lang in ("zh-hans", "en"):
            with translation.override(lang):
                m.update({str(label): v for v, label in choices.choices})
        m.update(CHOICE_ALIASES.get(key, {}))
        maps[key] = m
    return maps


@dataclass
class RowError:
    row: int  # spreadsheet row number (header is row 1)
    column: str
    message: str


@dataclass
class ImportResult:
    households: int = 0
    people: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # to check, not refused (a card's check digit)
    rows: list[dict] = field(default_factory=list)
    batch_id: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def csv_decode(content: bytes) -> str:
    """CSV text in UTF-8 or GBK (what Chinese Excel saves); a binary file is refused, not read as text."""
    if b"\x00" in content[:65536]:
        raise ApplicationError(
            "该文件不是CSV文本（含有二进制内容），请上传 .csv 或 .xlsx 文件",
            "This is not a CSV text file (it has binary content); upload a .csv or .xlsx file",
            field="file",
            code="bad_file",
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ApplicationError(
        "CSV文件编码无法识别（应为UTF-8或GBK）",
        "CSV encoding not recognised (UTF-8 or GBK)",
        field="file",
        code="bad_file",
    )


def csv_error(line: int) -> ApplicationError:
    """csv refuses a field longer than its limit (131,072 characters), a NUL or a broken quote."""
    return ApplicationError(
        f"CSV文件第{line}行无法读取（字段过长、引号不配对或含有二进制内容）",
        f"Row {line} of the CSV file cannot be read (a field too long, an unmatched quote or binary content)",
        field="file",
        code="bad_file",
        extra={"row": line},
    )


def rows_read(filename: str, content: bytes) -> list[dict]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        wb = xlsx_open(content)
        try:
            it = wb.worksheets[0].iter_rows(values_only=True)
            header = next(it, None) or ()
            raw_rows = list(itertools.islice(it, MAX_ROWS + 1))
        except Exception:  # a damaged sheet inside a readable archive
            raise ApplicationError(
                "无法读取该Excel文件的工作表，请用模板另存为 .xlsx",
                "Cannot read the sheet of this Excel file; save it as .xlsx",
                field="file",
                code="bad_file",
            ) from None
    elif name.endswith(".csv"):
        text = csv_decode(content)
        reader = csv.reader(io.StringIO(text))
        try:
            header = next(reader, None) or ()
            raw_rows = list(itertools.islice(reader, MAX_ROWS + 1))
        except csv.Error:
            raise csv_error(reader.line_num) from None
    else:
        raise ApplicationError(
            "只接受 .xlsx 或 .csv 文件", "Only .xlsx or .csv files are accepted", field="file", code="bad_file"
        )
    keys = []
    for h in header:
        label = str(h or "").strip()
        key = HEADER_TO_KEY.get(label.split("（")[0].split("(")[0].strip())
        keys.append(key)
    missing = [
        zh for key, zh in COLUMNS if key in ("household_ref", "area_code", "name", "relation") and key not in keys
    ]
    if missing:
        raise ApplicationError(
            f"表头缺少必需的列：{'、'.join(missing)}（请使用导入模板）",
            f"Header lacks required columns: {', '.join(missing)} (use the template)",
            field="file",
            code="bad_header",
        )
    if len(raw_rows) > MAX_ROWS:
        raise ApplicationError(
            f"一次最多导入{MAX_ROWS}行", f"At most {MAX_ROWS} rows per import", field="file", code="too_many_rows"
        )
    rows = []
    for values in raw_rows:
        if values is None or all(v in (None, "") for v in values):
            rows.append(None)
            continue
        row = {}
        for key, value in zip(keys, values):
            if key:
                if hasattr(value, "isoformat"):
                    value = value.date().isoformat() if hasattr(value, "date") else value.isoformat()
                elif isinstance(value, float) and value.is_integer():
                    value = str(int(value))
                row[key] = "" if value is None else str(value).strip()
        rows.append(row)
    return rows


class VillageIndex:
    """The villages and communities of the importer's area, found by 12-digit code or by name: the name alone when
    it is unique in the area, else the township's name before it (汉阳镇东风村, 汉阳镇/东风村 or 汉阳镇 东风村)."""

    def __init__(self, actor):
        self.by_code: dict[str, Area] = {}
        self.by_name: dict[str, list[Area]] = {}
        villages = Area.objects.filter(level="village", code__startswith=actor.scope_prefix).select_related("parent")
        for a in villages:
            if not area_in_scope(actor, a.code):
                continue
            self.by_code[a.code] = a
            township = a.parent.name if a.parent else ""
            for key in {a.name, f"{township}{a.name}", f"{township}/{a.name}", f"{township} {a.name}"}:
                self.by_name.setdefault(key, []).append(a)

    def find(self, value: str) -> Area:
        value = (value or "").strip()
        if value.isdigit():
            area = self.by_code.get(value)
            if area is None:
                raise ApplicationError(
                    f"区划代码 {value} 不是您管辖范围内的村/社区",
                    f"area code {value} is not a village or community in your area",
                    field="area_code",
                )
            return area
        found = self.by_name.get(value) or self.by_name.get(value.replace("／", "/"))
        if not value or not found:
            shown = value or "（空）"
            raise ApplicationError(
                f"找不到村/社区“{shown}”：请填写您管辖范围内的村/社区名称（如“东风村”）或12位区划代码",
                f"no village or community {value or '(empty)'} in your area: give its name or 12-digit code",
                field="area_code",
            )
        if len(found) > 1:
            where = "、".join(f"{a.parent.name}{a.name}（{a.code}）" for a in found[:5])
            raise ApplicationError(
                f"有{len(found)}个村/社区名为“{value}”：{where}，请在前面加上乡镇名或填写区划代码",
                f"{len(found)} villages are named {value}: add the township's name before it or give the code",
                field="area_code",
            )
        return found[0]


def households_import(*, actor, filename: str, content: bytes) -> ImportResult:
    """Check every row, then register every household in one transaction — or none, with the errors."""

    perm_require(actor, Perm.REGISTRY_IMPORT)
    rows = rows_read(filename, content)
    result = ImportResult(rows=[r or {} for r in rows])
    maps = _label_maps()
    headers = dict(COLUMNS)
    groups: dict[str, dict] = {}
    villages = VillageIndex(actor)

    def err(rownum, key, message):
        result.errors.append(RowError(rownum, headers.get(key, key or ""), message))

    for index, row in enumerate(rows):
        rownum = index + 2
        if row is None:
            continue
        for key, mapping in maps.items():
            if row.get(key):
                row[key] = mapping.get(row[key].strip(), row[key])
        ref = row.get("household_ref", "")
        if not ref:
            err(rownum, "household_ref", "缺少户编号 / household reference is missing")
            continue
        group = groups.setdefault(ref, {"first_row": rownum, "data": None, "members": [], "rows": []})
        if group["data"] is None:
            code = ""
            try:
                code = villages.find(row.get("area_code", "")).code
            except ApplicationError as e:
                err(rownum, "area_code", e.message)
            try:
                group["data"] = household_clean({k: row.get(k, "") for k in HOUSEHOLD_FIELDS})
                group["area_code"] = code
            except ApplicationError as e:
                err(rownum, e.field, e.message)
                group["data"] = {}
            else:
                warning = account_check_warning(group["data"].get("bank_account", ""))
                if warning:
                    result.warnings.append(RowError(rownum, headers["bank_account"], warning))
        member_keys = [k for k, _zh in COLUMNS if k not in HOUSEHOLD_KEYS and k != "household_ref"]
        try:
            member = person_clean({k: row.get(k, "") for k in member_keys if k != "relation"})

            member["relation"] = relation_clean(row.get("relation"))
            group["members"].append(member)
            group["rows"].append(rownum)
        except ApplicationError as e:
            err(rownum, e.field, e.message)

    # Checks across rows: one head per household, no ID twice in the file or already registered.
    seen: dict[str, int] = {}
    for ref, group in groups.items():
        heads = [m for m in group["members"] if m["relation"] == Relation.HEAD]
        if group["members"] and len(heads) != 1:
            err(
                group["first_row"],
                "relation",
                f"户编号 {ref} 须有且只有一名户主（现有{len(heads)}名） / "
                f"household {ref} needs exactly one head (found {len(heads)})",
            )
        for member, rownum in zip(group["members"], group["rows"]):
            number = member.get("id_number")
            if number:
                if number in seen:
                    err(rownum, "id_number", f"身份证号与第{seen[number]}行重复 / ID number repeats row {seen[number]}")
                seen.setdefault(number, rownum)
    existing = set()
    by_index = {blind_index(n, domain="id_number"): n for n in seen}  # ID numbers are found by their keyed index
    indexes = list(by_index)
    for start in range(0, len(indexes), 900):
        found = Person.objects.filter(id_index__in=indexes[start : start + 900]).values_list("id_index", flat=True)
        existing.update(by_index[i] for i in found)
    for number in sorted(existing, key=lambda n: seen[n]):
        err(
            seen[number],
            "id_number",
            f"身份证号 {id_mask(number)} 已在系统中登记 / ID number {id_mask(number)} is already registered",
        )
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result

    result.batch_id = f"import-{uuid.uuid4().hex[:12]}"
    with transaction.atomic():
        for _ref, group in groups.items():
            household = actions.household_register(
                actor=actor,
                area_code=group["area_code"],
                data=group["data"],
                members=[dict(m) for m in group["members"]],
                batch_id=result.batch_id,
            )
            result.households += 1
            result.people += household.member_count
        audit_record(
            actor=actor,
            action=RegistryEvent.IMPORT,
            kind=EventKind.BATCH,
            target_type="batch",
            target_id=result.batch_id,
            label=filename[:200],
            area_code=actor.area_id or "",
            batch_id=result.batch_id,
            new={
                "file": filename,
                "rows": sum(1 for r in rows if r),
                "households": result.households,
                "people": result.people,
            },
        )
    return result


def error_report_xlsx(result: ImportResult) -> bytes:
    """The uploaded rows with an error column and a warning column, plus a sheet listing each error and warning —
    for the township to fix (errors) or check (warnings: imported as written)."""

    wb = Workbook()
    ws = wb.active
    ws.title = "错误清单 Errors"
    ws.append(["行号 Row", "列 Column", "错误说明 Message", "类型 Kind"])
    for e in result.errors:
        ws.append(xlsx_row(ws, [e.row, e.column, e.message, "错误 error"]))
    for w in result.warnings:
        ws.append(xlsx_row(ws, [w.row, w.column, w.message, "提示 warning"]))
    data = wb.create_sheet("原始数据 Rows")
    data.append(["错误 Errors", "提示 Warnings"] + [zh for _k, zh in COLUMNS])
    by_row: dict[int, list[str]] = {}
    warned: dict[int, list[str]] = {}
    for e in result.errors:
        by_row.setdefault(e.row, []).append(f"{e.column}: {e.message}")
    for w in result.warnings:
        warned.setdefault(w.row, []).append(f"{w.column}: {w.message}")
    red = PatternFill("solid", fgColor="FFE0E0")
    amber = PatternFill("solid", fgColor="FFF4E5")
    for index, row in enumerate(result.rows):
        rownum = index + 2
        line = ["\n".join(by_row.get(rownum, [])), "\n".join(warned.get(rownum, []))]
        data.append(xlsx_row(data, line + [row.get(k, "") for k, _zh in COLUMNS]))
        if rownum in by_row or rownum in warned:
            for cell in data[data.max_row]:
                cell.fill = red if rownum in by_row else amber
    for sheet in (ws, data):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_xlsx() -> bytes:

    wb = Workbook()
    ws = wb.active
    ws.title = "家庭成员 Members"
    ws.append([zh for _k, zh in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(
        xlsx_row(
            ws,
            [
                "1",
                "汉阳镇东风村",
                "农村",
                "",
                "",
                "青神县汉阳镇某村3组12号",
                "13800000000",
                "农村信用社",
                "6217000000000000004",
                "张三",
                "张三",
                "511425197503021236",
                "户主",
                "",
                "",
                "否",
                "有劳动能力",
                "务农",
                "",
                "",
                "",
                "否",
                "",
            ],
        )
    )
    notes = wb.create_sheet("说明 Notes")
    notes.append(["列 Column", "说明 Meaning"])
    for key, zh in COLUMNS:
        choices = CHOICE_COLUMNS.get(key)
        with translation.override("zh-hans"):
            allowed = "、".join(str(label) for _v, label in choices.choices) if choices else NOTES.get(key, "")
        notes.append(xlsx_row(notes, [f"{zh} ({key})", allowed]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def households_export_xlsx(*, actor, households, full: bool) -> tuple[bytes, int]:
    """One row per current member of each household in ``households`` (already area-scoped), in the import
    template's columns. Full ID and account numbers only for roles that may see them, and then logged."""

    perm_require(actor, Perm.REGISTRY_EXPORT)
    if full:
        perm_require(actor, Perm.PII_FULL)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("家庭成员 Members")
    ws.append([zh for _k, zh in COLUMNS])
    memberships = (
        Membership.objects.filter(end_date__isnull=True, household__in=households)
        .select_related("person", "household")
        .order_by("household_id", "id")
    )
    labels = {}
    with translation.override("zh-hans"):
        for key, choices in CHOICE_COLUMNS.items():
            labels[key] = {v: str(label) for v, label in choices.choices}
    count = 0
    yes, no = "是", "否"
    for m in memberships.iterator(chunk_size=2000):
        h, p = m.household, m.person
        ws.append(
            xlsx_row(
                ws,
                [
                    str(h.pk),
                    h.area_id,
                    labels["hukou_type"].get(h.hukou_type, ""),
                    h.hukou_place,
                    yes if h.residence_permit else "",
                    h.address,
                    h.phone,
                    h.bank_name,
                    h.bank_account if full else account_mask(h.bank_account),
                    h.account_holder,
                    p.name,
                    (p.id_number or "") if full else id_mask(p.id_number),
                    labels["relation"].get(m.relation, ""),
                    labels["sex"].get(p.sex, ""),
                    p.birth_date.isoformat(),
                    yes if p.student else no,
                    labels["labour_capacity"].get(p.labour_capacity, ""),
                    labels["employment"].get(p.employment, ""),
                    labels["disability_kind"].get(p.disability_kind, ""),
                    p.disability_grade or "",
                    p.disability_card,
                    yes if p.serious_illness else no,
                    p.diagnosis,
                ],
            )
        )
        count += 1
    out = io.BytesIO()
    wb.save(out)
    if full:
        access_record(
            actor=actor,
            field="id_number+bank_account",
            purpose="export",
            target_type="export",
            label=f"家庭成员导出 {count} 行 / household export, {count} rows",
            area_code=actor.area_id or "",
            count=count,
        )
    return out.getvalue(), count
