"""Facts for batch evaluation: per household and per counted member, what the means test reads, in integer fen.

Re-evaluating a province must not join memberships, people, incomes, expenditures and four asset tables for a
million households each time (measured: over 20× a plain aggregate of the incomes, docs/benchmarks.md). The
registry's actions call :func:`facts_refresh` for the households they touch, in the same transaction, so the
facts are always those of the committed registry; bulk loads rebuild them set-based. The statements here are
the only definition of the facts, used for one household and for a whole province alike, and
:func:`facts_differences` compares the stored facts with a fresh computation (``doudi registry_facts --check``).

Rules, as in ``programmes/rules`` (and checked equal to them by tests): a member counts unless deceased, in
prison, in compulsory rehabilitation, missing or clergy away; income or expenditure recorded for the household
as a whole belongs to the head (else the member with the lowest membership key), and is dropped when that
member does not count; amounts are rounded to the fen one record at a time before summing.

Member slots: the terms the parameters apply member by member (the job-cost deduction on each wage, the
add-on for age 70+) are the bulk of a batch evaluation's work when read as member rows — three quarters of a
million earners and four hundred thousand elderly people per million households, aggregated and joined back.
So each household also carries the wages of its first two earners (``wage_1``, ``wage_2``, by person key) and
the birth dates of its two oldest members with neither a grade 1–2 disability nor a serious illness
(``born_1``, ``born_2``); a member row says whether its wage or birth date is carried there (``wage_inline``,
``age_inline``). The evaluation computes the carried terms from the household row and aggregates only the
member rows not carried: members with a disability or illness add-on (whose add-on is the largest of several),
third and later earners, and third and later elderly members.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from doudi.core.sql import fen, literals

from .choices import COUNTED_KINDS, SUBTRACTED_KINDS

EXCLUDED = "(p.deceased OR p.in_prison OR p.compulsory_rehab OR p.missing OR p.clergy_away)"
CHUNK = 500  # households per statement when refreshing a list
SOURCE_TABLES = (
    "registry_household",
    "registry_membership",
    "registry_person",
    "registry_income",
    "registry_expenditure",
    "registry_financialasset",
    "registry_vehicle",
    "registry_home",
    "registry_businessrole",
)


def _sum_if(condition: str, value: str = "i.monthly") -> str:
    return f"CAST(SUM(CASE WHEN {condition} THEN {fen(value)} ELSE 0 END) AS BIGINT)"


def _member_rows(where: str) -> str:
    """Every current member of the selected households with their own income and expenditure (household-level
    records given to the anchor member) — the common part of both facts tables."""
    counted_general = literals(COUNTED_KINDS - {"support_received"})
    return f"""
WITH cur AS (
    SELECT m.household_id, m.person_id, p.birth_date, p.disability_grade, p.serious_illness,
           {EXCLUDED} AS excluded,
           ROW_NUMBER() OVER (PARTITION BY m.household_id
                              ORDER BY CASE WHEN m.relation = 'head' THEN 0 ELSE 1 END, m.id) AS rank
    FROM registry_membership m
    JOIN registry_person p ON p.id = m.person_id
    WHERE m.end_date IS NULL AND {where.format(col="m.household_id")}
),
anchor AS (SELECT household_id, person_id FROM cur WHERE rank = 1),
inc AS (
    SELECT i.household_id, COALESCE(i.person_id, a.person_id) AS person_id,
           {_sum_if(f"i.kind IN ({counted_general})")} AS plus,
           {_sum_if("i.kind = 'support_received' AND i.support_from = 'sibling'")} AS s_sibling,
           {_sum_if("i.kind = 'support_received' AND i.support_from = 'supporter_60_plus'")} AS s_60,
           {_sum_if("i.kind = 'support_received' AND i.support_from = 'other'")} AS s_other,
           {_sum_if("i.kind = 'support_received' AND i.support_from NOT IN ('sibling', 'supporter_60_plus', 'other')")}
               AS s_unspecified,
           {_sum_if(f"i.kind IN ({literals(SUBTRACTED_KINDS)})")} AS minus,
           {_sum_if("i.kind = 'wage'")} AS wage
    FROM registry_income i
    LEFT JOIN anchor a ON a.household_id = i.household_id
    WHERE {where.format(col="i.household_id")}
    GROUP BY i.household_id, COALESCE(i.person_id, a.person_id)
),
exp AS (
    SELECT e.household_id, COALESCE(e.person_id, a.person_id) AS person_id,
           CAST(SUM({fen("e.monthly")}) AS BIGINT) AS rigid
    FROM registry_expenditure e
    LEFT JOIN anchor a ON a.household_id = e.household_id
    WHERE {where.format(col="e.household_id")}
    GROUP BY e.household_id, COALESCE(e.person_id, a.person_id)
),
member AS (  -- wage_rank: earners first; age_rank: members without an add-on condition first, oldest first
    SELECT c.household_id, c.person_id, c.birth_date,
           CASE WHEN c.disability_grade IN (1, 2) THEN 1 ELSE 0 END AS dis12,
           CASE WHEN c.serious_illness THEN 1 ELSE 0 END AS ill,
           COALESCE(inc.plus, 0) AS plus, COALESCE(inc.s_sibling, 0) AS s_sibling, COALESCE(inc.s_60, 0) AS s_60,
           COALESCE(inc.s_other, 0) AS s_other, COALESCE(inc.s_unspecified, 0) AS s_unspecified,
           COALESCE(inc.minus, 0) AS minus, COALESCE(inc.wage, 0) AS wage, COALESCE(exp.rigid, 0) AS rigid
    FROM cur c
    LEFT JOIN inc ON inc.household_id = c.household_id AND inc.person_id = c.person_id
    LEFT JOIN exp ON exp.household_id = c.household_id AND exp.person_id = c.person_id
    WHERE NOT c.excluded
),
ranked AS (
    SELECT member.*,
           ROW_NUMBER() OVER (PARTITION BY household_id
                              ORDER BY CASE WHEN wage > 0 THEN 0 ELSE 1 END, person_id) AS wage_rank,
           ROW_NUMBER() OVER (PARTITION BY household_id
                              ORDER BY dis12 + ill, birth_date, person_id) AS age_rank
    FROM member
)"""


HOUSEHOLD_FIELDS = [
    "household_id",
    "area_code",
    "hukou_type",
    "hukou_local",
    "members",
    "income_counted",
    "support_sibling",
    "support_60_plus",
    "support_other",
    "support_unspecified",
    "income_subtracted",
    "rigid_expenditure",
    "financial_assets",
    "vehicles",
    "vehicles_other_purpose",
    "vehicle_livelihood_max",
    "homes",
    "home_area",
    "business_roles",
    "wage_1",
    "wage_2",
    "born_1",
    "born_2",
]
MEMBER_FIELDS = [
    "person_id",
    "household_id",
    "area_code",
    "hukou_type",
    "birth_date",
    "disability_1_2",
    "serious_illness",
    "wage",
    "wage_inline",
    "age_inline",
]


def _member_select(where: str) -> str:
    return f"""{_member_rows(where)}
SELECT r.person_id, r.household_id, h.area_id, h.hukou_type, r.birth_date, r.dis12 = 1, r.ill = 1, r.wage,
       r.wage > 0 AND r.wage_rank <= 2, r.dis12 + r.ill = 0 AND r.age_rank <= 2
FROM ranked r JOIN registry_household h ON h.id = r.household_id"""


def _household_select(where: str) -> str:
    return f"""{_member_rows(where)},
summed AS (
    SELECT household_id, COUNT(*) AS n, CAST(SUM(plus) AS BIGINT) AS plus, CAST(SUM(s_sibling) AS BIGINT) AS s_sibling,
           CAST(SUM(s_60) AS BIGINT) AS s_60, CAST(SUM(s_other) AS BIGINT) AS s_other,
           CAST(SUM(s_unspecified) AS BIGINT) AS s_unspecified, CAST(SUM(minus) AS BIGINT) AS minus,
           CAST(SUM(rigid) AS BIGINT) AS rigid,
           CAST(SUM(CASE WHEN wage > 0 AND wage_rank = 1 THEN wage ELSE 0 END) AS BIGINT) AS wage_1,
           CAST(SUM(CASE WHEN wage > 0 AND wage_rank = 2 THEN wage ELSE 0 END) AS BIGINT) AS wage_2,
           MIN(CASE WHEN dis12 + ill = 0 AND age_rank = 1 THEN birth_date END) AS born_1,
           MIN(CASE WHEN dis12 + ill = 0 AND age_rank = 2 THEN birth_date END) AS born_2
    FROM ranked GROUP BY household_id
),
fin AS (SELECT household_id, CAST(SUM({fen("amount")}) AS BIGINT) AS amount FROM registry_financialasset
        WHERE {where.format(col="household_id")} GROUP BY household_id),
veh AS (SELECT household_id,
               COUNT(CASE WHEN purpose <> 'disability' THEN 1 END) AS n,
               COUNT(CASE WHEN purpose NOT IN ('disability', 'livelihood') THEN 1 END) AS other,
               CAST(MAX(CASE WHEN purpose = 'livelihood' THEN {fen("value")} ELSE 0 END) AS BIGINT) AS livelihood_max
        FROM registry_vehicle WHERE {where.format(col="household_id")} GROUP BY household_id),
home AS (SELECT household_id, COUNT(*) AS n, CAST(SUM({fen("floor_area_m2")}) AS BIGINT) AS area
         FROM registry_home WHERE {where.format(col="household_id")} GROUP BY household_id),
biz AS (SELECT household_id, COUNT(*) AS n FROM registry_businessrole
        WHERE {where.format(col="household_id")} AND NOT (role = 'family_workshop' AND employees = 0)
        GROUP BY household_id)
SELECT h.id, h.area_id, h.hukou_type, h.hukou_place = '', COALESCE(s.n, 0), COALESCE(s.plus, 0), COALESCE(s.s_sibling, 0),
       COALESCE(s.s_60, 0), COALESCE(s.s_other, 0), COALESCE(s.s_unspecified, 0), COALESCE(s.minus, 0),
       COALESCE(s.rigid, 0), COALESCE(fin.amount, 0), COALESCE(veh.n, 0), COALESCE(veh.other, 0),
       COALESCE(veh.livelihood_max, 0), COALESCE(home.n, 0), COALESCE(home.area, 0), COALESCE(biz.n, 0),
       COALESCE(s.wage_1, 0), COALESCE(s.wage_2, 0), s.born_1, s.born_2
FROM registry_household h
LEFT JOIN summed s ON s.household_id = h.id
LEFT JOIN fin ON fin.household_id = h.id
LEFT JOIN veh ON veh.household_id = h.id
LEFT JOIN home ON home.household_id = h.id
LEFT JOIN biz ON biz.household_id = h.id
WHERE {where.format(col="h.id")}"""


STATEMENTS = (
    ("registry_householdfacts", HOUSEHOLD_FIELDS, _household_select, "household_id"),
    ("registry_memberfacts", MEMBER_FIELDS, _member_select, "person_id"),
)


def _write(cursor, where: str, args_for) -> None:
    """Replace the facts of the households selected by ``where`` ({col} stands for each table's key column);
    ``args_for(sql)`` gives the parameters of a statement."""
    sql = f"DELETE FROM registry_householdfacts WHERE {where.format(col='household_id')}"
    cursor.execute(sql, args_for(sql))
    # a member's row goes with the household they are in now, and with the household they left (two
    # statements: with OR between them the database would scan every member's row)
    for sql in (
        f"DELETE FROM registry_memberfacts WHERE {where.format(col='household_id')}",
        f"DELETE FROM registry_memberfacts WHERE person_id IN (SELECT person_id FROM registry_membership "
        f"WHERE end_date IS NULL AND {where.format(col='household_id')})",
    ):
        cursor.execute(sql, args_for(sql))
    for table, fields, select, _key in STATEMENTS:
        sql = f"INSERT INTO {table} ({', '.join(fields)})\n{select(where)}"
        cursor.execute(sql, args_for(sql))


def facts_refresh(household_ids: Iterable[int]) -> None:
    """Recompute the facts of these households (call inside the transaction that changed them)."""
    ids = sorted({int(i) for i in household_ids})
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            where = "{col} IN (" + ", ".join(["%s"] * len(chunk)) + ")"
            _write(cursor, where, lambda sql, chunk=chunk: chunk * (sql.count("%s") // len(chunk)))


def facts_rebuild(prefix: str = "", *, batch_id: str | None = None) -> None:
    """Recompute the facts of every household whose area code starts with ``prefix``, or of the households a
    bulk load created (``batch_id``), set-based."""
    if batch_id:
        where, arg = "{col} IN (SELECT id FROM registry_household WHERE batch_id = %s)", batch_id
    else:
        where, arg = (
            ("{col} IN (SELECT id FROM registry_household WHERE area_id LIKE %s)", prefix + "%")
            if prefix
            else ("1 = 1", None)
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A bulk load has just written these tables in this transaction: without fresh statistics the
            # planner takes them for empty and nests loops over them (minutes instead of seconds).
            for table in SOURCE_TABLES:
                cursor.execute(f"ANALYZE {table}")
            if connection.in_atomic_block:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '256MB'")
        _write(cursor, where, lambda sql: [arg] * sql.count("%s"))


def facts_differences(limit: int = 20) -> list[str]:
    """Stored facts that differ from a fresh computation from the registry (empty when all agree), compared
    set-based in the database (``EXCEPT`` both ways), so a province is checked without loading it."""
    diffs: list[str] = []
    with connection.cursor() as cursor:
        for table, fields, select, key in STATEMENTS:
            stored = f"SELECT {', '.join(fields)} FROM {table}"
            for label, sql in (
                ("registry", f"{select('1 = 1')} EXCEPT {stored}"),
                ("stored", f"{stored} EXCEPT SELECT * FROM ({select('1 = 1')}) fresh"),
            ):
                cursor.execute(f"SELECT * FROM ({sql}) d ORDER BY 1 LIMIT %s", [limit - len(diffs)])
                for row in cursor.fetchall():
                    values = ", ".join(f"{f}={v}" for f, v in zip(fields, row))
                    diffs.append(f"{table} {key}={row[0]}: {label} has ({values})")
                if len(diffs) >= limit:
                    return diffs
    return diffs
