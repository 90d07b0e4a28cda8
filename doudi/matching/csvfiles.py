"""The two lists of ``doudi match``: UTF-8 CSV with header ``record_id,name,id_number,birth_date,sex,address``.

Every value is checked before anything is matched, and a refusal names the file, the row (as a spreadsheet
counts it: the header is row 1) and the column. ``id_number`` is not checked: a wrong number is what
matching is for.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from doudi.core.errors import ApplicationError

from .features import INPUT_COLUMNS

REQUIRED_VALUES = ("record_id", "name")


def _refuse(zh: str, en: str, field: str) -> ApplicationError:
    return ApplicationError(zh, en, field=field, code="match_input")


def read_list(path: str | Path, *, option: str) -> list[dict]:
    """The rows of one list, or ApplicationError naming what is wrong (``option`` is --left or --right)."""
    name = str(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            missing = [c for c in INPUT_COLUMNS if c not in header]
            if missing:
                raise _refuse(
                    _("%(option)s %(file)s 缺少列：%(columns)s（表头应为 %(header)s）")
                    % {
                        "option": option,
                        "file": name,
                        "columns": "、".join(missing),
                        "header": ",".join(INPUT_COLUMNS),
                    },
                    f"{option} {name} lacks the column(s): {', '.join(missing)}",
                    field=missing[0],
                )
            rows = list(reader)
    except ApplicationError:
        raise
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise _refuse(
            _("%(option)s 无法读取文件 %(file)s（%(reason)s）：应为 UTF-8 编码的 CSV 文件")
            % {"option": option, "file": name, "reason": e},
            f"{option}: cannot read {name} ({e}): a UTF-8 CSV file is expected",
            field=option,
        ) from None
    seen: set[str] = set()
    records = []
    for number, row in enumerate(rows, start=2):
        record = {c: (row.get(c) or "").strip() for c in INPUT_COLUMNS}
        where = {"option": option, "file": name, "row": number}
        for column in REQUIRED_VALUES:
            if not record[column]:
                raise _refuse(
                    _("%(option)s %(file)s 第%(row)s行：%(column)s 不能为空") % {**where, "column": column},
                    f"{option} {name} row {number}: {column} is required",
                    field=column,
                )
        if record["record_id"] in seen:
            raise _refuse(
                _("%(option)s %(file)s 第%(row)s行：record_id %(id)s 重复") % {**where, "id": record["record_id"]},
                f"{option} {name} row {number}: record_id {record['record_id']} appears twice",
                field="record_id",
            )
        seen.add(record["record_id"])
        if record["birth_date"]:
            try:
                dt.date.fromisoformat(record["birth_date"])
                ok = len(record["birth_date"]) == 10
            except ValueError:
                ok = False
            if not ok:
                raise _refuse(
                    _("%(option)s %(file)s 第%(row)s行：birth_date 应为 YYYY-MM-DD，实为 %(value)s")
                    % {**where, "value": record["birth_date"]},
                    f"{option} {name} row {number}: birth_date must be YYYY-MM-DD, got {record['birth_date']}",
                    field="birth_date",
                )
        if record["sex"] and record["sex"] not in ("M", "F"):
            raise _refuse(
                _("%(option)s %(file)s 第%(row)s行：sex 应为 M 或 F，实为 %(value)s")
                % {**where, "value": record["sex"]},
                f"{option} {name} row {number}: sex must be M or F, got {record['sex']}",
                field="sex",
            )
        records.append({c: (v or None) for c, v in record.items()})
    return records


def write_pairs(path: str | Path, rows: list[list]) -> None:
    """Write the pairs whole or not at all (a temporary file in the same folder, then renamed)."""
    target = Path(path)
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["left_id", "right_id", "probability", "match_weight", "explanation"])
            writer.writerows(rows)
        os.replace(temp, target)
    except OSError as e:
        raise _refuse(
            _("--out 无法写入文件 %(file)s（%(reason)s）") % {"file": path, "reason": e},
            f"--out: cannot write {path} ({e})",
            field="--out",
        ) from None
