"""Exact matching on the resident ID number, in DuckDB: the 18-character number as written (a lower-case x
raised), the old 15-digit one converted to it, anything else left out. This is the whole of matching for a
department whose data carries good numbers, and the first pass before probabilistic matching; at millions of
rows it costs little more than a bare join (docs/benchmarks.md).
"""

from __future__ import annotations

import duckdb

from .ids import check_character_sql


def id18_sql(column: str) -> str:
    """SQL for the 18-character form of an ID column, or NULL when it holds neither form.

    An 18-character value is taken as written once trimmed and raised to upper case (no pattern test: a value
    that is not an ID number cannot equal one that is); a 15-digit one gets "19" before the year and its check
    character."""
    column = f"trim(CAST({column} AS VARCHAR))"
    first17 = f"(substr({column}, 1, 6) || '19' || substr({column}, 7, 9))"
    return (
        f"CASE strlen({column}) WHEN 18 THEN upper({column}) "
        f"WHEN 15 THEN CASE WHEN regexp_full_match({column}, '[0-9]{{15}}') THEN {first17} || {check_character_sql(first17)} END END"
    )


# A value already in the 18-character form (18 characters, no lower-case x) is used as it is; only the others
# (the old 15-digit numbers, a lower-case x, stray spaces) go through id18_sql. Measured at 2,500,000 ×
# 10,000,000 this halves the cost of normalising every row (docs/benchmarks.md).
# (An 18-character value with a space in it cannot be a number once the space is gone: it is left as it is.)
_CANONICAL = "strlen({c}) = 18 AND NOT suffix({c}, 'x')"


def _normalised(table: str, id_column: str, key_column: str) -> str:
    canonical = _CANONICAL.format(c=id_column)
    return f"""(
        SELECT {key_column}, {id_column} AS id18 FROM {table} WHERE {canonical}
        UNION ALL
        SELECT {key_column}, {id18_sql(id_column)} AS id18 FROM {table} WHERE NOT coalesce({canonical}, FALSE)
    )"""


def id18_store(
    con: duckdb.DuckDBPyConnection, table: str, *, id_column: str = "id_number", target_column: str = "id18"
) -> None:
    """Store the 18-character form of each row's ID number in ``table.target_column`` once, when the table is
    loaded (NULL for a value that is neither form), so that every later match is a plain equality join on it
    (``link_by_stored_id``). The application does the same: a department record keeps the blind index of its
    normalised number (doudi/verification/loads.py), and matching is an equality on that index."""
    canonical = _CANONICAL.format(c=id_column)
    con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {target_column} VARCHAR")
    con.execute(
        f"UPDATE {table} SET {target_column} = CASE WHEN coalesce({canonical}, FALSE) THEN {id_column} "
        f"ELSE {id18_sql(id_column)} END"
    )


def link_by_stored_id(
    con: duckdb.DuckDBPyConnection,
    left: str,
    right: str,
    target: str,
    *,
    id18_column: str = "id18",
    key_column: str = "record_id",
) -> int:
    """``link_by_id`` for tables whose normalised number was stored at load (``id18_store``): the join only."""
    con.execute(f"""
        CREATE OR REPLACE TABLE {target} AS
        SELECT l.{key_column} AS left_id, r.{key_column} AS right_id
        FROM {left} l JOIN {right} r ON l.{id18_column} = r.{id18_column}
    """)
    return con.execute(f"SELECT count(*) FROM {target}").fetchall()[0][0]


def link_by_id(
    con: duckdb.DuckDBPyConnection,
    left: str,
    right: str,
    target: str,
    *,
    id_column: str = "id_number",
    key_column: str = "record_id",
) -> int:
    """Create table ``target(left_id, right_id)`` of the records of ``left`` and ``right`` whose ID numbers are
    the same number; return how many pairs."""
    con.execute(f"""
        CREATE OR REPLACE TABLE {target} AS
        SELECT l.{key_column} AS left_id, r.{key_column} AS right_id
        FROM {_normalised(left, id_column, key_column)} l
        JOIN {_normalised(right, id_column, key_column)} r ON l.id18 = r.id18
    """)
    return con.execute(f"SELECT count(*) FROM {target}").fetchall()[0][0]
