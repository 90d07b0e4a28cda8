"""Dibao for a whole area in one SQL statement (INSERT … SELECT), in integer fen.

The same rules as ``rules/operators.py`` — composition, counted income, job-cost and rigid-expenditure
deductions, per-capita income half up to the fen, asset tests, base, floor, largest single add-on, rounding —
written set-based so a province re-evaluates in the database instead of one household at a time in Python.
Every amount is converted to integer fen first, so SQLite and PostgreSQL give exactly the same results, and a
property test checks that they equal the Python rules household by household.

Half-up division of non-negative integers: ``(2·a + b) / (2·b)`` with integer division. Every SUM is cast to
BIGINT, since PostgreSQL's SUM of integers is NUMERIC and would make those divisions exact.
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

from django.db import connection

from .rules.operators import COUNTED_KINDS, SUBTRACTED_KINDS

EXCLUDED_STATUS = "(p.deceased OR p.in_prison OR p.compulsory_rehab OR p.missing OR p.clergy_away)"


def _frac(value: Decimal) -> tuple[int, int]:
    f = Fraction(value)
    return f.numerator, f.denominator


def _fen(value: Decimal) -> int:
    return int(value * 100)


def _half_up(a: str, b: str) -> str:
    return f"((2 * ({a}) + ({b})) / (2 * ({b})))"


def _in(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(values)) or "''"


def dibao_insert_sql(*, run_id: int, prefix: str, exclude_prefixes: list[str], params: dict, on: dt.date) -> tuple[str, list]:
    """SQL and parameters that insert one EvaluationResult row per household whose area code starts with
    ``prefix`` (and not with any of ``exclude_prefixes``), evaluated under ``params``."""
    job_num, job_den = _frac(params["job_cost_ratio"])
    months_num, months_den = _frac(params["financial_asset_months"])
    floor_num, floor_den = _frac(params["floor_ratio"])
    # add-on ratios over a common denominator
    ratios = [params["addon_age70_ratio"], params["addon_disability_1_2_ratio"], params["addon_serious_illness_ratio"]]
    den = math.lcm(*(_frac(r)[1] for r in ratios))
    r70, rdis, rill = (int(Fraction(r) * den) for r in ratios)
    not_from = params.get("support_not_counted_from", [])
    cutoff70 = dt.date(on.year - 70, on.month, on.day if not (on.month == 2 and on.day == 29) else 28)
    rigid = "1" if params.get("rigid_expenditure_deduction", True) else "0"
    round_yuan = params.get("rounding", "yuan_half_up") == "yuan_half_up"
    exclude = "".join(" AND h.area_id NOT LIKE %s" for _ in exclude_prefixes)
    std_u, std_r = _fen(params["standard_urban"]), _fen(params["standard_rural"])
    fen = "CAST(ROUND({} * 100) AS BIGINT)"
    # fen back to yuan: exact numeric on PostgreSQL; SQLite stores decimals as REAL, exact for two decimals
    to_yuan = "CAST(({}) AS NUMERIC) / 100" if connection.vendor == "postgresql" else "(({}) / 100.0)"
    support_excluded = f"(i.kind = 'support_received' AND i.support_from IN ({_in(not_from)}))" if not_from else "1=0"
    total = "(CASE WHEN s.base > s.floor THEN s.base ELSE s.floor END + s.addons)"
    rounded = f"(({total} + 50) / 100) * 100" if round_yuan else total
    sql = f"""
INSERT INTO programmes_evaluationresult
    (run_id, household_id, township_code, eligible, monthly_amount, per_capita_income, counted_members)
WITH hh AS (
    SELECT h.id, h.area_id, CASE WHEN h.hukou_type = 'urban' THEN {std_u} ELSE {std_r} END AS std
    FROM registry_household h
    WHERE h.area_id LIKE %s{exclude}
),
cur AS (
    SELECT m.household_id, m.person_id, p.birth_date, p.disability_grade, p.serious_illness,
           {EXCLUDED_STATUS} AS excluded,
           ROW_NUMBER() OVER (PARTITION BY m.household_id
                              ORDER BY CASE WHEN m.relation = 'head' THEN 0 ELSE 1 END, m.id) AS rank
    FROM registry_membership m
    JOIN hh ON hh.id = m.household_id
    JOIN registry_person p ON p.id = m.person_id
    WHERE m.end_date IS NULL
),
anchor AS (SELECT household_id, person_id FROM cur WHERE rank = 1),
inc AS (
    SELECT i.household_id, COALESCE(i.person_id, a.person_id) AS person_id,
           CAST(SUM(CASE WHEN i.kind IN ({_in(COUNTED_KINDS)}) AND NOT {support_excluded}
                    THEN {fen.format('i.monthly')} ELSE 0 END) AS BIGINT) AS plus,
           CAST(SUM(CASE WHEN i.kind IN ({_in(SUBTRACTED_KINDS)}) THEN {fen.format('i.monthly')} ELSE 0 END) AS BIGINT) AS minus,
           CAST(SUM(CASE WHEN i.kind = 'wage' THEN {fen.format('i.monthly')} ELSE 0 END) AS BIGINT) AS wage
    FROM registry_income i
    JOIN hh ON hh.id = i.household_id
    LEFT JOIN anchor a ON a.household_id = i.household_id
    GROUP BY i.household_id, COALESCE(i.person_id, a.person_id)
),
exp AS (
    SELECT e.household_id, COALESCE(e.person_id, a.person_id) AS person_id,
           CAST(SUM({fen.format('e.monthly')}) AS BIGINT) AS rigid
    FROM registry_expenditure e
    JOIN hh ON hh.id = e.household_id
    LEFT JOIN anchor a ON a.household_id = e.household_id
    GROUP BY e.household_id, COALESCE(e.person_id, a.person_id)
),
member AS (
    SELECT c.household_id,
           COALESCE(inc.plus, 0) - COALESCE(inc.minus, 0) AS income,
           CASE WHEN COALESCE(inc.wage, 0) <= 0 THEN 0
                WHEN {_half_up(f'inc.wage * {job_num}', str(job_den))} > {_fen(params['job_cost_cap'])}
                THEN {_fen(params['job_cost_cap'])}
                ELSE {_half_up(f'inc.wage * {job_num}', str(job_den))} END AS job,
           {rigid} * COALESCE(exp.rigid, 0) AS rigid,
           CASE WHEN c.disability_grade IN (1, 2) THEN {rdis} ELSE 0 END AS r_dis,
           CASE WHEN c.serious_illness THEN {rill} ELSE 0 END AS r_ill,
           CASE WHEN c.birth_date <= %s THEN {r70} ELSE 0 END AS r_70
    FROM cur c
    LEFT JOIN inc ON inc.household_id = c.household_id AND inc.person_id = c.person_id
    LEFT JOIN exp ON exp.household_id = c.household_id AND exp.person_id = c.person_id
    WHERE NOT c.excluded
),
member_ratio AS (
    SELECT household_id, income, job, rigid,
           CASE WHEN r_70 >= r_dis AND r_70 >= r_ill THEN r_70
                WHEN r_dis >= r_ill THEN r_dis ELSE r_ill END AS ratio
    FROM member
),
fin AS (SELECT household_id, CAST(SUM({fen.format('amount')}) AS BIGINT) AS amount FROM registry_financialasset
        WHERE household_id IN (SELECT id FROM hh) GROUP BY household_id),
veh AS (SELECT household_id,
               CAST(SUM(CASE WHEN purpose <> 'disability' THEN 1 ELSE 0 END) AS BIGINT) AS others,
               CAST(SUM(CASE WHEN purpose <> 'disability' AND NOT (purpose = 'livelihood'
                        AND {fen.format('value')} <= {_fen(params['vehicle_livelihood_max'])}) THEN 1 ELSE 0 END) AS BIGINT) AS bad
        FROM registry_vehicle WHERE household_id IN (SELECT id FROM hh) GROUP BY household_id),
home AS (SELECT household_id, COUNT(*) AS homes, CAST(SUM({fen.format('floor_area_m2')}) AS BIGINT) AS area
         FROM registry_home WHERE household_id IN (SELECT id FROM hh) GROUP BY household_id),
biz AS (SELECT household_id, COUNT(*) AS bad FROM registry_businessrole
        WHERE household_id IN (SELECT id FROM hh) AND NOT (role = 'family_workshop' AND employees = 0)
        GROUP BY household_id),
agg AS (
    SELECT hh.id, hh.area_id, hh.std, COUNT(mr.household_id) AS n,
           COALESCE(CAST(SUM(mr.income) AS BIGINT), 0) AS income, COALESCE(CAST(SUM(mr.job) AS BIGINT), 0) + COALESCE(CAST(SUM(mr.rigid) AS BIGINT), 0) AS deductions,
           COALESCE(CAST(SUM(CASE WHEN mr.ratio > 0 THEN {_half_up(f'hh.std * mr.ratio', str(den))} ELSE 0 END) AS BIGINT), 0) AS addons
    FROM hh LEFT JOIN member_ratio mr ON mr.household_id = hh.id
    GROUP BY hh.id, hh.area_id, hh.std
),
pc AS (
    SELECT agg.*,
           CASE WHEN agg.n = 0 OR agg.income - agg.deductions <= 0 THEN 0
                ELSE {_half_up('agg.income - agg.deductions', 'agg.n')} END AS pc,
           CASE WHEN agg.n > 1 THEN agg.n ELSE 1 END AS n_assets
    FROM agg
),
s AS (
    SELECT pc.*,
           (pc.std - pc.pc) * pc.n AS base,
           {_half_up(f'{floor_num} * pc.std * pc.n', str(floor_den))} AS floor,
           (pc.n > 0 AND pc.pc < pc.std
            AND COALESCE(fin.amount, 0) <= {_half_up(f'pc.std * {months_num} * pc.n_assets', str(months_den))}
            AND (veh.household_id IS NULL OR veh.others = 0 OR (veh.others = 1 AND veh.bad = 0))
            AND (home.household_id IS NULL OR home.homes <= 1
                 OR {_half_up('home.area', 'pc.n_assets')} <= {int(params['home_area_per_member_max'] * 100)})
            AND biz.household_id IS NULL) AS eligible
    FROM pc
    LEFT JOIN fin ON fin.household_id = pc.id
    LEFT JOIN veh ON veh.household_id = pc.id
    LEFT JOIN home ON home.household_id = pc.id
    LEFT JOIN biz ON biz.household_id = pc.id
)
SELECT %s, s.id, SUBSTR(s.area_id, 1, 9) || '000', s.eligible,
       {to_yuan.format(f'CASE WHEN s.eligible THEN {rounded} ELSE 0 END')}, {to_yuan.format('s.pc')}, s.n
FROM s
"""
    args = [prefix + "%", *[p + "%" for p in exclude_prefixes], cutoff70, run_id]
    return sql, args


def dibao_insert(*, run_id: int, prefix: str, exclude_prefixes: list[str], params: dict, on: dt.date) -> int:
    sql, args = dibao_insert_sql(run_id=run_id, prefix=prefix, exclude_prefixes=exclude_prefixes, params=params,
                                 on=on)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            # The CTEs make the planner's cost estimate huge, which triggers JIT compilation that costs more
            # (seconds) than the query itself; measured in docs/benchmarks.md.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, args)
        return cursor.rowcount
