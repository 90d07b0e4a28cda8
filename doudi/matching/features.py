"""The columns matching compares, computed inside DuckDB from the six input columns.

Input: a table or view with ``record_id, name, id_number, birth_date, sex, address`` (any of the last five
may be NULL). Output: one row per record with ``unique_id, name, name_py, name_sorted, id_form, id17, id18,
id_valid, birth_date, sex, address``. ID numbers are normalised in SQL (the rules of ``ids.py``, checked
against it by a test) so that ten million rows never pass through Python; only the distinct names do, once
each, for their pinyin.
"""

from __future__ import annotations

import re
import unicodedata

import duckdb
import pandas as pd

from .ids import check_character_sql
from .names import name_pinyin, name_sorted

FEATURE_COLUMNS = [
    "unique_id",
    "name",
    "name_py",
    "name_sorted",
    "id_form",
    "id17",
    "id18",
    "id_valid",
    "birth_date",
    "sex",
    "address",
]
INPUT_COLUMNS = ["record_id", "name", "id_number", "birth_date", "sex", "address"]
# what a name loses before it is compared: spaces and the dots and commas written inside names (阿依古丽·买买提)
NAME_NOISE = "[\\s·•・．.。,，]"
_NAME_NOISE_PY = re.compile(r"[\t\n\f\r\v ·•・．.。,，]")  # RE2's \s is the ASCII spaces


def name_plain(name: str | None) -> str | None:
    """A name as ``prepare`` compares it (NFC, the noise above removed), or None when nothing is left: for the
    keys of a lookup joined to the feature table's ``name``."""
    plain = _NAME_NOISE_PY.sub("", unicodedata.normalize("NFC", name or ""))
    return plain or None


def id_columns_sql(column: str) -> str:
    """A SELECT list fragment: ``id_form, id17, id18, id_valid`` of the ID expression ``column``."""
    raw = f"upper(regexp_replace(coalesce(CAST({column} AS VARCHAR), ''), '\\s', '', 'g'))"
    form = (
        f"CASE WHEN regexp_full_match({raw}, '[0-9]{{17}}[0-9X]') THEN '18' "
        f"WHEN regexp_full_match({raw}, '[0-9]{{15}}') THEN '15' END"
    )
    id17 = f"CASE {form} WHEN '18' THEN substr({raw}, 1, 17) WHEN '15' THEN substr({raw}, 1, 6) || '19' || substr({raw}, 7, 9) END"
    return f"{form} AS id_form, {id17} AS id17, {raw} AS id_raw"


def prepare(con: duckdb.DuckDBPyConnection, source: str, target: str) -> None:
    """Create table ``target`` with the feature columns of the records in ``source``."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {target}__s AS
        SELECT CAST(record_id AS VARCHAR) AS unique_id,
               NULLIF(regexp_replace(nfc_normalize(coalesce(CAST(name AS VARCHAR), '')), '{NAME_NOISE}', '', 'g'), '') AS name,
               {id_columns_sql("id_number")},
               strftime(TRY_CAST(NULLIF(trim(CAST(birth_date AS VARCHAR)), '') AS DATE), '%Y-%m-%d') AS birth_date,
               CASE upper(trim(CAST(sex AS VARCHAR))) WHEN 'M' THEN 'M' WHEN 'F' THEN 'F' WHEN '男' THEN 'M' WHEN '女' THEN 'F' END AS sex,
               NULLIF(regexp_replace(coalesce(CAST(address AS VARCHAR), ''), '\\s', '', 'g'), '') AS address
        FROM {source}
    """)
    names = [row[0] for row in con.execute(f"SELECT DISTINCT name FROM {target}__s WHERE name IS NOT NULL").fetchall()]
    pinyin = pd.DataFrame(  # noqa: F841  (read by DuckDB's replacement scan below)
        {"name": names, "name_py": [name_pinyin(n) for n in names], "name_sorted": [name_sorted(n) for n in names]}
    )
    con.register(f"{target}__py", pinyin)
    check = check_character_sql("s.id17")
    con.execute(f"""
        CREATE OR REPLACE TABLE {target} AS
        SELECT s.unique_id, s.name, NULLIF(p.name_py, '') AS name_py, p.name_sorted, s.id_form, s.id17,
               CASE s.id_form WHEN '18' THEN s.id_raw WHEN '15' THEN s.id17 || {check} END AS id18,
               coalesce(s.id_form = '18' AND s.id_raw = s.id17 || {check}
                        AND TRY_STRPTIME(substr(s.id17, 7, 8), '%Y%m%d') IS NOT NULL, FALSE) AS id_valid,
               s.birth_date, s.sex, s.address
        FROM {target}__s s LEFT JOIN {target}__py p ON p.name = s.name
    """)
    con.unregister(f"{target}__py")
    con.execute(f"DROP TABLE {target}__s")
