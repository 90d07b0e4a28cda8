"""Batch evaluation and what-if simulation over the registry.

dibao runs as one set-based SQL statement per parameter set (sql_dibao.py); other programmes read households in
primary-key batches with a fixed number of queries each and evaluate them with the same rules as one-by-one
decisions. Results are written set-based, and summaries are aggregated in SQL. A run is one transaction: killed
halfway it leaves nothing; rerun, it starts afresh.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.areas.models import Area
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.core.bulk import TableWriter
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.validation import date_range_check
from doudi.registry.models import Household

from .events import ProgrammeEvent
from .models import EvaluationResult, EvaluationRun, ParameterVersion, VersionStatus
from .rules import HOUSEHOLD_PROGRAMMES as PROGRAMMES
from .rules import evaluate
from .rules.registry_input import household_inputs, sealed
from .selectors import params_in_force, params_memo
from .sql_dibao import Listed, dibao_insert

BATCH = 2000


def _households(prefix: str, batch: int):
    last = 0
    base = Household.objects.filter(area__code__startswith=prefix).defer(*sealed(Household)).order_by("pk")
    while True:
        chunk = list(base.filter(pk__gt=last)[:batch])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _evaluate_python(run: EvaluationRun, prefix: str, draft, batch: int, progress) -> int:
    writer = TableWriter(EvaluationResult, batch_size=10_000)
    done = 0
    for chunk in _households(prefix, batch):
        for h in household_inputs(chunk):
            d = evaluate(run.programme_id, h, run.on, draft=draft)
            writer.add(
                run_id=run.pk,
                household_id=h.household_id,
                township_code=h.area[:9] + "000",
                area_code=h.area,
                eligible=d.eligible,
                monthly_amount=d.monthly_amount,
                per_capita_income=d.per_capita_income,
                counted_members=d.counted_members,
            )
        done += len(chunk)
        if progress:
            progress(done)
    writer.flush()
    return done


def _evaluate_dibao_sql(run: EvaluationRun, prefix: str, draft, counts: list | None, listed: Listed | None) -> int:
    """One INSERT … SELECT for the county's parameters, one per township that has its own override."""
    county = prefix[:6]
    lookup = prefix.ljust(12, "0")[:12]
    overrides = sorted(
        {
            code
            for code in ParameterVersion.objects.filter(
                programme_id="dibao",
                area__level="township",
                area__code__startswith=prefix[:9] if len(prefix) >= 9 else county,
                effective_from__lte=run.on,
            )
            .filter(status=VersionStatus.APPROVED)
            .values_list("area_id", flat=True)
        }
        | ({draft.area_id} if draft is not None and draft.area.level == "township" else set())
    )
    overrides = [t for t in overrides if t.startswith(prefix[:9]) or len(prefix) < 9]
    total = 0
    if len(prefix) >= 9:  # one township (or village): its own parameters, overrides included
        params = params_in_force("dibao", run.on, lookup, draft=draft).values
        return dibao_insert(
            run_id=run.pk, prefix=prefix, exclude_prefixes=[], params=params, on=run.on, counts=counts, listed=listed
        )
    for township in overrides:
        params = params_in_force("dibao", run.on, township, draft=draft).values
        total += dibao_insert(
            run_id=run.pk,
            prefix=township[:9],
            exclude_prefixes=[],
            params=params,
            on=run.on,
            counts=counts,
            listed=listed,
        )
    params = params_in_force("dibao", run.on, lookup, draft=draft).values
    total += dibao_insert(
        run_id=run.pk,
        prefix=prefix,
        exclude_prefixes=[t[:9] for t in overrides],
        params=params,
        on=run.on,
        counts=counts,
        listed=listed,
    )
    return total


def _run(
    *, actor, programme, on, prefix, draft, batch, progress, engine, listed: Listed | None = None
) -> tuple[EvaluationRun, list | None, bool]:
    """Create a run and write its results; also the figures by township when the statement summed them as it
    wrote (dibao on PostgreSQL), else None; and whether only the results of the run's list were kept
    (``listed``, honoured by the dibao statement: see ``evaluation_run``)."""
    run = EvaluationRun.objects.create(
        programme_id=programme,
        on=on,
        area_prefix=prefix,
        draft=draft,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if engine != "python" and programme == "dibao" and len(prefix) >= 6:
        counts = [] if connection.vendor == "postgresql" else None
        run.households = _evaluate_dibao_sql(run, prefix, draft, counts, listed)
        return run, counts, listed is not None
    run.households = _evaluate_python(run, prefix, draft, batch, progress)
    return run, None, False


def _listed_figures(run: EvaluationRun, prefix: str, counts: list | None) -> list[tuple]:
    """The run's figures by township when only its list's results were kept: the households evaluated counted
    from the facts the statement read (the same rows), the eligible ones from the statement's sums (PostgreSQL)
    or from the kept rows, which hold every eligible household."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT SUBSTR(f.area_code, 1, 9) || '000', COUNT(*) FROM registry_householdfacts f
               WHERE f.area_code LIKE %s GROUP BY SUBSTR(f.area_code, 1, 9)""",
            [prefix + "%"],
        )
        evaluated = dict(cursor.fetchall())
        if counts is None:
            cursor.execute(RESULT_SUMS, [run.pk])
            counts = cursor.fetchall()
    eligible: dict[str, list[int]] = {}
    for code, _written, *values in counts:
        eligible[code] = [a + int(b or 0) for a, b in zip(eligible.get(code, [0, 0, 0]), values)]
    return [(code, evaluated.get(code, 0), *eligible.get(code, [0, 0, 0])) for code in sorted({*evaluated, *eligible})]


def evaluation_run(
    *,
    actor,
    programme: str,
    on: dt.date,
    area_prefix: str | None = None,
    draft: ParameterVersion | None = None,
    compare: bool = False,
    batch: int = BATCH,
    progress=None,
    engine: str = "auto",
    keep_all: bool = False,
) -> EvaluationRun:
    """Evaluate every household in ``area_prefix`` (default: the actor's area) and store the results.
    With ``draft`` the draft version is used as if approved; with ``compare`` the approved parameters are
    evaluated too and the summary reports, by township, who gains, loses or changes amount, and the budget.

    A plain dibao run over a county or township (the set-based statement) keeps the results of its list only:
    the households eligible now and those eligible in the run it is compared with (``previous_run``); the others
    are counted by township in the summary. In the benchmark's million households that is 166,878 rows written
    instead of a million (docs/benchmarks.md). ``keep_all`` keeps every household's result (the demo's search for households
    just above the line, tests comparing engines household by household); what-if runs always keep all, as
    their comparison reads both runs' rows."""
    if actor is not None:
        perm_require(actor, Perm.PARAMETERS_EDIT if draft else Perm.EVALUATION_RUN)
        if area_prefix and not covers(actor, area_prefix):
            raise NotFound(field="area_code")
        prefix = area_prefix or actor.scope_prefix
    else:
        prefix = area_prefix or ""
    if draft is not None and draft.status != VersionStatus.DRAFT:
        raise ApplicationError("只能模拟草稿版本", "Only a draft version can be simulated", field="draft")
    if programme not in PROGRAMMES:
        raise ApplicationError(
            f"未知的救助项目，可选：{'、'.join(PROGRAMMES)}",
            f"Unknown programme; allowed: {', '.join(PROGRAMMES)}",
            field="programme",
            code="unknown_programme",
        )
    if not (isinstance(prefix, str) and prefix.isascii() and (prefix.isdigit() or prefix == "") and len(prefix) <= 12):
        raise ApplicationError(
            "区划代码应为数字（最多12位）",
            "The area code must be digits (at most 12)",
            field="area_code",
            code="invalid_area",
        )
    date_range_check(on, field="on", zh_label="测算日期", en_label="Evaluation date")
    with transaction.atomic(), params_memo():  # the versions read once, the draft's with it (its own key)
        kwargs = dict(
            actor=actor, programme=programme, on=on, prefix=prefix, batch=batch, progress=progress, engine=engine
        )
        base = previous_run_of(programme, prefix) if draft is None else None
        listed = Listed(base.pk if base else None) if draft is None and not keep_all else None
        run, counts, kept_listed = _run(draft=draft, listed=listed, **kwargs)
        baseline = _run(draft=None, **kwargs)[0] if compare and draft is not None else None
        run.base = baseline if baseline is not None else (base if draft is None else previous_run(run))
        with no_nested_loops():
            if kept_listed:
                rows = _listed_figures(run, prefix, counts)
                run.households = sum(r[1] for r in rows)
            else:
                rows = counts if baseline is None else None
            run.summary = summary_sql(run, baseline, rows=rows)
            changes_insert(run, run.base)
        run.finished_at = timezone.now()
        run.save(update_fields=["households", "summary", "base", "finished_at"])
        if baseline is not None:
            baseline.finished_at = run.finished_at
            baseline.save(update_fields=["households", "finished_at"])
        audit_record(
            actor=actor,
            action=ProgrammeEvent.EVALUATION_SIMULATE if draft else ProgrammeEvent.EVALUATION_RUN,
            kind=EventKind.BATCH,
            target=run,
            area_code=prefix.ljust(12, "0")[:12] if prefix else "",
            new={
                "programme": programme,
                "on": on,
                "households": run.households,
                "draft": draft.pk if draft else None,
                "totals": run.summary.get("totals"),
            },
        )
    return run


@contextmanager
def no_nested_loops():
    """Join two runs' results by hash or merge, never by a nested loop (PostgreSQL). The rows this transaction has
    just written are not in the planner's statistics, so it takes a run for one row and would pick a nested loop
    over a scan: hours for a million households instead of seconds."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_nestloop = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_nestloop = on")


def previous_run(run: EvaluationRun) -> EvaluationRun | None:
    """The latest finished run of the same programme over the same area before ``run`` that is not a what-if
    (nor the approved-parameters run a what-if was compared with): what a plain run's list is compared with."""
    return previous_run_of(run.programme_id, run.area_prefix, before=run.pk)


def previous_run_of(programme: str, area_prefix: str, *, before: int | None = None) -> EvaluationRun | None:
    """``previous_run`` for a run not yet created (``before``: only runs older than that key)."""
    baselines = EvaluationRun.objects.filter(draft__isnull=False, base=OuterRef("pk"))
    runs = EvaluationRun.objects.filter(
        programme_id=programme, area_prefix=area_prefix, draft__isnull=True, finished_at__isnull=False
    )
    if before is not None:
        runs = runs.filter(pk__lt=before)
    return runs.exclude(Exists(baselines)).order_by("-pk").first()


def changes_insert(run: EvaluationRun, base: EvaluationRun | None) -> int:
    """Write the run's list of households (EvaluationChange) in one statement per part, in integer fen: every
    household eligible in ``run`` or in ``base``, with how its result changed (docs/policy.md). Without a base,
    the households eligible in the run.

    Each part reads only the eligible rows of one run and looks the other run's row up for them (a hash of the
    other run's eligible rows, or of its rows for the households lost), and each household's village is the one
    its result row kept (looked up by key only where a run has no row for it, or was written before results kept
    it), not a join with the whole registry: at a million households the list is ~170,000 rows; joining both runs'
    million rows and every household cost more than the evaluation itself, and looking each village up 1.3 s
    (docs/benchmarks.md, "Dibao re-evaluation: the list of households")."""
    columns = """INSERT INTO programmes_evaluationchange (run_id, household_id, area_code, township_code, kind,
                 before_amount, after_amount, difference, counted_members, per_capita_income)"""

    def village(row: str, township: str, kept: str = "") -> str:
        """The household's village as this run evaluated it (``kept``: the run's result row); when the run has no
        row for it (it left the area) or was written before results kept the village, the household's village
        now, else (gone) its township."""
        looked_up = (
            f"COALESCE((SELECT h.area_id FROM registry_household h WHERE h.id = {row}.household_id), {township})"
        )
        kept = kept or row
        return f"CASE WHEN {kept}.area_code <> '' THEN {kept}.area_code ELSE {looked_up} END"

    with connection.cursor() as cursor:
        if base is None:
            cursor.execute(
                f"""{columns}
                SELECT d.run_id, d.household_id, {village("d", "d.township_code")}, d.township_code, 'eligible',
                       0, d.monthly_amount, d.monthly_amount, d.counted_members, d.per_capita_income
                FROM programmes_evaluationresult d
                WHERE d.run_id = %s AND d.eligible""",
                [run.pk],
            )
            return cursor.rowcount
        cursor.execute(  # eligible now: new, up, down or the same against the base's amount (0 when not eligible)
            f"""{columns}
            SELECT d.run_id, d.household_id, {village("d", "d.township_code")}, d.township_code,
                   CASE WHEN b.household_id IS NULL THEN 'new'
                        WHEN d.monthly_amount > b.monthly_amount THEN 'up'
                        WHEN d.monthly_amount < b.monthly_amount THEN 'down'
                        ELSE 'same' END,
                   COALESCE(b.monthly_amount, 0), d.monthly_amount, d.monthly_amount - COALESCE(b.monthly_amount, 0),
                   d.counted_members, d.per_capita_income
            FROM programmes_evaluationresult d
            LEFT JOIN programmes_evaluationresult b
                   ON b.run_id = %s AND b.household_id = d.household_id AND b.eligible
            WHERE d.run_id = %s AND d.eligible""",
            [base.pk, run.pk],
        )
        written = cursor.rowcount
        cursor.execute(  # eligible in the base, not now: no longer eligible, or no longer evaluated (left the area)
            f"""{columns}
            SELECT %s, b.household_id, {village("b", "COALESCE(d.township_code, b.township_code)", kept="d")},
                   COALESCE(d.township_code, b.township_code), 'lost',
                   b.monthly_amount, 0, 0 - b.monthly_amount,
                   COALESCE(d.counted_members, b.counted_members), COALESCE(d.per_capita_income, b.per_capita_income)
            FROM programmes_evaluationresult b
            LEFT JOIN programmes_evaluationresult d ON d.run_id = %s AND d.household_id = b.household_id
            WHERE b.run_id = %s AND b.eligible AND (d.household_id IS NULL OR NOT d.eligible)""",
            [run.pk, run.pk, base.pk],
        )
        return written + cursor.rowcount


# A run's figures by township from its stored rows: rows, eligible households, eligible people, monthly total (fen)
RESULT_SUMS = """SELECT d.township_code, COUNT(*), SUM(CASE WHEN d.eligible THEN 1 ELSE 0 END),
                        SUM(CASE WHEN d.eligible THEN d.counted_members ELSE 0 END), SUM(d.monthly_amount)
                 FROM programmes_evaluationresult d WHERE d.run_id = %s
                 GROUP BY d.township_code ORDER BY d.township_code"""

MONEY_KEYS = ("monthly_total", "budget_before", "budget_after", "budget_difference")


def summary_sql(run: EvaluationRun, baseline: EvaluationRun | None = None, rows: list | None = None) -> dict:
    """Counts and money by township, aggregated in the database (money summed as integer fen). ``rows`` are the
    same figures when the writing statement already summed them (dibao on PostgreSQL)."""
    if rows is not None:
        merged: dict[str, list[int]] = {}
        for code, *values in rows:
            merged[code] = [a + int(b or 0) for a, b in zip(merged.get(code, [0, 0, 0, 0]), values)]
        rows = sorted((code, *values) for code, values in merged.items())
        keys = ["households", "eligible_households", "eligible_people", "monthly_total"]
    elif baseline is None:
        sql = RESULT_SUMS
        keys = ["households", "eligible_households", "eligible_people", "monthly_total"]
        args = [run.pk]
    else:
        sql = """SELECT d.township_code, COUNT(*),
                      SUM(CASE WHEN d.eligible THEN 1 ELSE 0 END),
                      SUM(CASE WHEN d.eligible THEN d.counted_members ELSE 0 END),
                      SUM(d.monthly_amount),
                      SUM(CASE WHEN d.eligible AND NOT b.eligible THEN 1 ELSE 0 END),
                      SUM(CASE WHEN d.eligible AND NOT b.eligible THEN d.counted_members ELSE 0 END),
                      SUM(CASE WHEN b.eligible AND NOT d.eligible THEN 1 ELSE 0 END),
                      SUM(CASE WHEN b.eligible AND NOT d.eligible THEN b.counted_members ELSE 0 END),
                      SUM(CASE WHEN b.eligible AND d.eligible AND d.monthly_amount <> b.monthly_amount THEN 1 ELSE 0 END),
                      SUM(CASE WHEN b.eligible AND d.eligible AND d.monthly_amount <> b.monthly_amount
                               THEN d.counted_members ELSE 0 END),
                      SUM(b.monthly_amount),
                      SUM(d.monthly_amount)
                 FROM programmes_evaluationresult d
                 JOIN programmes_evaluationresult b ON b.household_id = d.household_id AND b.run_id = %s
                 WHERE d.run_id = %s
                 GROUP BY d.township_code ORDER BY d.township_code"""
        keys = [
            "households",
            "eligible_households",
            "eligible_people",
            "monthly_total",
            "gain_households",
            "gain_people",
            "lose_households",
            "lose_people",
            "change_households",
            "change_people",
            "budget_before",
            "budget_after",
        ]
        args = [baseline.pk, run.pk]
    if rows is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            rows = cursor.fetchall()
    names = dict(Area.objects.filter(code__in=[r[0] for r in rows]).values_list("code", "name"))
    townships, totals = [], dict.fromkeys(keys, 0)
    for code, *values in rows:
        row = {"township": code, "name": names.get(code, code)}
        for key, value in zip(keys, values):
            row[key] = int(value or 0)
            totals[key] += int(value or 0)
        townships.append(row)
    if baseline is not None:
        for row in [*townships, totals]:
            row["budget_difference"] = row["budget_after"] - row["budget_before"]
        totals["baseline_run"] = baseline.pk
    for row in [*townships, totals]:
        for key in MONEY_KEYS:
            if key in row:
                row[key] = f"{Decimal(row[key]) / 100:.2f}"
    return {"townships": townships, "totals": totals}
