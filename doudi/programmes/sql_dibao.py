"""Dibao for a whole area in one SQL statement (INSERT … SELECT), in integer fen.

The same rules as ``rules/operators.py`` — composition, counted income, job-cost and rigid-expenditure
deductions, per-capita income half up to the fen, asset tests, base, floor, largest single add-on, rounding —
written set-based so a province re-evaluates in the database instead of one household at a time in Python. It
reads the registry's facts tables (``registry/facts.py``: per household, the counted members' income by kind,
rigid expenditure and assets; per counted member, birth date, disability, illness and wage), which the registry
keeps in step with every change, so the statement is one pass over a million households — whose rows carry the
first two earners' wages and the two oldest members' birth dates ("member slots") — plus the members beyond the
slots whose own amounts depend on the parameters. Every amount is integer fen, and so are the stored results
(``core.fields.FenField``), so SQLite and PostgreSQL give exactly the same results, and tests check that they
equal the Python rules household by household.

Half-up division of non-negative integers: ``(2·a + b) / (2·b)`` with integer division.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db import connection


def _frac(value: Decimal) -> tuple[int, int]:
    f = Fraction(value)
    return f.numerator, f.denominator


def _fen(value: Decimal) -> int:
    return int(value * 100)


def _half_up(a: str, b: str) -> str:
    return f"((2 * ({a}) + ({b})) / (2 * ({b})))"


def _half_up_int(a: int, b: int) -> int:
    return (2 * a + b) // (2 * b)


@dataclass(frozen=True)
class Listed:
    """Keep only the results of the run's list: the households eligible now and those eligible in ``base`` (the
    key of the run the list compares with; None when there is none)."""

    base: int | None


def dibao_insert_sql(
    *, run_id: int, prefix: str, exclude_prefixes: list[str], params: dict, on: dt.date, listed: Listed | None = None
) -> tuple[str, list]:
    """SQL and parameters that insert one EvaluationResult row per household whose area code starts with
    ``prefix`` (and not with any of ``exclude_prefixes``), evaluated under ``params``. With ``listed`` only the
    households of the run's list: those eligible now and, when it is a run's key, those eligible in that run."""
    job_num, job_den = _frac(params["job_cost_ratio"])
    months_num, months_den = _frac(params["financial_asset_months"])
    floor_num, floor_den = _frac(params["floor_ratio"])
    not_from = set(params.get("support_not_counted_from", []))
    cutoff70 = dt.date(on.year - 70, on.month, on.day if not (on.month == 2 and on.day == 29) else 28)
    rigid = "f.rigid_expenditure" if params.get("rigid_expenditure_deduction", True) else "0"
    round_yuan = params.get("rounding", "yuan_half_up") == "yuan_half_up"
    std = {"urban": _fen(params["standard_urban"]), "rural": _fen(params["standard_rural"])}
    cap = _fen(params["job_cost_cap"])

    # The add-on is the largest single ratio a member qualifies for, times the standard, half up to the fen:
    # with the ratios known, each member's add-on is one of a few constants per hukou type.
    ratios = [params["addon_age70_ratio"], params["addon_disability_1_2_ratio"], params["addon_serious_illness_ratio"]]
    den = math.lcm(*(_frac(r)[1] for r in ratios))
    old = f"'{cutoff70.isoformat()}'"  # born on or before: 70 or older on the day (a date, safe as a literal)
    conditions = [f"m.birth_date <= {old}", "m.disability_1_2", "m.serious_illness"]
    ranked = sorted(((int(Fraction(r) * den), c) for r, c in zip(ratios, conditions)), key=lambda x: -x[0])

    def addon(hukou: str) -> str:
        whens = " ".join(f"WHEN {c} THEN {_half_up_int(std[hukou] * r, den)}" for r, c in ranked if r > 0)
        return f"CASE {whens} ELSE 0 END" if whens else "0"

    def job(wage: str) -> str:
        cost = _half_up(f"{wage} * {job_num}", str(job_den))
        return f"CASE WHEN {wage} <= 0 THEN 0 WHEN {cost} > {cap} THEN {cap} ELSE {cost} END"

    # the members whose terms the household row carries (registry/facts.py, "member slots")
    age_ratio = Fraction(params["addon_age70_ratio"])
    age_addon = {h: _half_up_int(std[h] * age_ratio.numerator, age_ratio.denominator) for h in std}
    slots_job = f"{job('f.wage_1')} + {job('f.wage_2')}"
    slots_addon = (
        f"(CASE WHEN f.born_1 <= {old} THEN 1 ELSE 0 END + CASE WHEN f.born_2 <= {old} THEN 1 ELSE 0 END)"
        f" * CASE WHEN f.hukou_type = 'urban' THEN {age_addon['urban']} ELSE {age_addon['rural']} END"
        if age_ratio > 0
        else "0"
    )
    counted_support = " + ".join(
        ["f.support_sibling"] * ("sibling" not in not_from)
        + ["f.support_60_plus"] * ("supporter_60_plus" not in not_from)
        + ["f.support_other"] * ("other" not in not_from)
        + ["f.support_unspecified"]
    )
    area = "f.area_code LIKE %s" + "".join(" AND f.area_code NOT LIKE %s" for _ in exclude_prefixes)
    member_area = area.replace("f.", "m.")
    area_args = [prefix + "%", *[p + "%" for p in exclude_prefixes]]
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""  # compute each step once, not per use
    total = "(CASE WHEN s.base > s.floor THEN s.base ELSE s.floor END + s.addons)"
    rounded = f"(({total} + 50) / 100) * 100" if round_yuan else total
    sql = f"""
INSERT INTO programmes_evaluationresult
    (run_id, household_id, township_code, area_code, eligible, monthly_amount, per_capita_income, counted_members)
SELECT %s, s.household_id, SUBSTR(s.area_code, 1, 9) || '000', s.area_code, s.eligible,
       CASE WHEN s.eligible THEN {rounded} ELSE 0 END, s.pc, s.n
FROM (
    SELECT q.*, (q.std - q.pc) * q.n AS base, {_half_up(f"{floor_num} * q.std * q.n", str(floor_den))} AS floor,
           (q.n > 0 AND q.pc < q.std
            AND q.financial_assets <= {_half_up(f"q.std * {months_num} * q.n_assets", str(months_den))}
            AND (q.vehicles = 0 OR (q.vehicles = 1 AND q.vehicles_other_purpose = 0
                                    AND q.vehicle_livelihood_max <= {_fen(params["vehicle_livelihood_max"])}))
            AND (q.homes <= 1 OR {_half_up("q.home_area", "q.n_assets")} <= {int(params["home_area_per_member_max"] * 100)})
            AND q.business_roles = 0 AND q.hukou_local) AS eligible
    FROM (
        SELECT p.*, CASE WHEN p.n = 0 OR p.income - p.deductions <= 0 THEN 0
                         ELSE {_half_up("p.income - p.deductions", "p.n")} END AS pc,
               CASE WHEN p.n > 1 THEN p.n ELSE 1 END AS n_assets
        FROM (
            SELECT f.household_id, f.area_code, f.hukou_local, f.members AS n, f.financial_assets, f.vehicles,
                   f.vehicles_other_purpose, f.vehicle_livelihood_max, f.homes, f.home_area, f.business_roles,
                   CASE WHEN f.hukou_type = 'urban' THEN {std["urban"]} ELSE {std["rural"]} END AS std,
                   f.income_counted + {counted_support} - f.income_subtracted AS income,
                   COALESCE(a.job, 0) + {slots_job} + {rigid} AS deductions,
                   COALESCE(a.addons, 0) + {slots_addon} AS addons
            FROM registry_householdfacts f
            LEFT JOIN (
                SELECT m.household_id,
                       SUM(CAST(CASE WHEN m.wage_inline THEN 0 ELSE {job("m.wage")} END AS INTEGER)) AS job,
                       SUM(CAST(CASE WHEN m.age_inline THEN 0
                                     WHEN m.hukou_type = 'urban' THEN {addon("urban")} ELSE {addon("rural")} END
                                AS INTEGER)) AS addons
                FROM registry_memberfacts m
                WHERE {member_area} AND ((m.wage > 0 AND NOT m.wage_inline) OR m.disability_1_2 OR m.serious_illness
                                         OR (NOT m.age_inline AND m.birth_date <= {old}))
                GROUP BY m.household_id
            ) a ON a.household_id = f.household_id
            WHERE {area}{fence}
        ) p{fence}
    ) q{fence}
) s{_listed_sql(listed)}
"""
    args = [run_id, *area_args, *area_args, *([listed.base] if listed and listed.base else [])]
    return sql, args


def _listed_sql(listed: Listed | None) -> str:
    if listed is None:
        return ""
    if not listed.base:
        return "\nWHERE s.eligible"
    # A hash of the base run's eligible households (a few hundred thousand at a province), probed once per row.
    return """
LEFT JOIN (SELECT household_id FROM programmes_evaluationresult WHERE run_id = %s AND eligible) kept
       ON kept.household_id = s.household_id
WHERE s.eligible OR kept.household_id IS NOT NULL"""


def dibao_insert(
    *,
    run_id: int,
    prefix: str,
    exclude_prefixes: list[str],
    params: dict,
    on: dt.date,
    counts: list | None = None,
    listed: Listed | None = None,
) -> int:
    """Insert the results (``listed``: see ``dibao_insert_sql``); on PostgreSQL, when ``counts`` is a list, also
    append the run's figures by township (township, rows written, eligible households, eligible people, monthly
    total in fen), summed from the rows as they are written instead of reading a million rows back."""
    sql, args = dibao_insert_sql(
        run_id=run_id, prefix=prefix, exclude_prefixes=exclude_prefixes, params=params, on=on, listed=listed
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            # The planner's cost estimate for a million rows triggers JIT compilation, which costs more (seconds)
            # than the statement itself; the members' aggregate wants more than the default work memory.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            # The base run's rows may be newer than the planner's statistics: a hash of them, not a probe per row.
            cursor.execute(f"SET LOCAL enable_nestloop = {'off' if listed is not None and listed.base else 'on'}")
        if counts is not None and connection.vendor == "postgresql":
            cursor.execute(
                f"""WITH written AS ({sql}
                RETURNING township_code, eligible, counted_members, monthly_amount)
                SELECT township_code, COUNT(*), SUM(CASE WHEN eligible THEN 1 ELSE 0 END),
                       SUM(CASE WHEN eligible THEN counted_members ELSE 0 END),
                       SUM(monthly_amount)
                FROM written GROUP BY township_code""",
                args,
            )
            rows = cursor.fetchall()
            counts.extend(rows)
            return sum(r[1] for r in rows)
        cursor.execute(sql, args)
        return cursor.rowcount
