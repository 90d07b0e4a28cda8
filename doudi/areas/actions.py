"""Area import from CSV: code,name,level,kind,parent_code. All rows or none."""

from __future__ import annotations

import csv
import io
import itertools

from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.core.actions import action
from doudi.core.errors import ApplicationError

from .events import AreaEvent
from .models import PREFIX_LENGTH, Area, AreaKind, AreaLevel

LEVEL_ALIASES = {
    "省": "province",
    "市": "prefecture",
    "县": "county",
    "乡镇": "township",
    "街道": "township",
    "乡": "township",
    "镇": "township",
    "村": "village",
    "社区": "village",
}
KIND_ALIASES = {"城镇": "urban", "城市": "urban", "农村": "rural"}
MAX_ROWS = 100_000


def areas_parse(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    required = {"code", "name", "level", "kind"}
    try:
        fieldnames = reader.fieldnames
        raws = list(itertools.islice(reader, MAX_ROWS + 1))
    except csv.Error:
        raise ApplicationError(
            f"区划文件第{reader.line_num}行无法读取（字段过长、引号不配对或含有二进制内容）",
            f"Row {reader.line_num} of the area file cannot be read (a field too long, an unmatched "
            "quote or binary content)",
            field="file",
            code="bad_file",
        ) from None
    if len(raws) > MAX_ROWS:
        raise ApplicationError(
            f"区划文件最多{MAX_ROWS}行", f"An area file has at most {MAX_ROWS} rows", field="file", code="too_many_rows"
        )
    if not fieldnames or not required <= {f.strip() for f in fieldnames}:
        raise ApplicationError(
            "表头应为 code,name,level,kind,parent_code",
            "Header must be code,name,level,kind,parent_code",
            field="file",
            code="bad_header",
        )
    rows, errors = [], []
    for n, raw in enumerate(raws, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k and isinstance(v, (str, type(None)))}
        code, level = row["code"], LEVEL_ALIASES.get(row["level"], row["level"])
        kind = KIND_ALIASES.get(row["kind"], row["kind"])
        if not (len(code) == 12 and code.isascii() and code.isdigit()):
            errors.append(f"第{n}行 code：区划代码须为12位数字 / row {n} code: must be 12 digits")
            continue
        if level not in AreaLevel.values:
            errors.append(f"第{n}行 level：层级无效 {row['level']} / row {n} level: invalid {row['level']}")
            continue
        if kind not in AreaKind.values:
            errors.append(f"第{n}行 kind：城乡类型无效 {row['kind']} / row {n} kind: invalid {row['kind']}")
            continue
        if not row["name"]:
            errors.append(f"第{n}行 name：名称为空 / row {n} name: empty")
            continue
        if len(row["name"]) > 100:
            errors.append(f"第{n}行 name：名称最多100个字 / row {n} name: at most 100 characters")
            continue
        parent = row.get("parent_code") or ""
        if parent and not (len(parent) == 12 and parent.isascii() and parent.isdigit()):
            errors.append(f"第{n}行 parent_code：上级代码须为12位数字 / row {n} parent_code: must be 12 digits")
            continue
        if code[PREFIX_LENGTH[AreaLevel(level)] :].strip("0"):
            errors.append(
                f"第{n}行 code：{level}级代码 {code} 的下级位应为0 / row {n} code: lower digits must be 0 at level {level}"
            )
            continue
        rows.append(
            {
                "code": code,
                "name": row["name"],
                "level": level,
                "kind": kind,
                "parent": row.get("parent_code") or None,
                "row": n,
            }
        )
    if errors:
        raise ApplicationError(
            "区划文件有错误，未导入任何行：\n"
            + "\n".join(errors[:50])
            + (f"\n…（共{len(errors)}处）" if len(errors) > 50 else ""),
            "The area file has errors; nothing was imported",
            field="file",
            code="bad_rows",
            extra={"errors": errors},
        )
    return rows


@action
def areas_import(*, actor, text: str) -> int:
    if actor is not None:
        perm_require(actor, Perm.AREAS_MANAGE)
    rows = areas_parse(text)
    known = set(Area.objects.values_list("code", flat=True)) | {r["code"] for r in rows}
    for r in rows:
        if r["parent"] and r["parent"] not in known:
            raise ApplicationError(
                f"第{r['row']}行 parent_code：上级区划 {r['parent']} 不存在",
                f"row {r['row']} parent_code: parent {r['parent']} does not exist",
                field="parent_code",
                code="bad_parent",
            )
    order = {lvl: i for i, lvl in enumerate(PREFIX_LENGTH)}
    for r in sorted(rows, key=lambda r: order[AreaLevel(r["level"])]):
        Area.objects.update_or_create(
            code=r["code"],
            defaults={"name": r["name"], "level": r["level"], "kind": r["kind"], "parent_id": r["parent"]},
        )
    audit_record(
        actor=actor,
        action=AreaEvent.AREAS_IMPORT,
        kind=EventKind.BATCH,
        target_type="areas",
        label=f"{len(rows)} areas",
        new={"count": len(rows)},
    )
    return len(rows)
