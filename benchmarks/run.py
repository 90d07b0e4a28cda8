"""`make bench`: scale benchmarks on PostgreSQL. Each step runs in its own process so its peak memory is its
own. Figures are printed and written to benchmarks/results/scale-<N>.json; docs/benchmarks.md records them
with the machine and the command.

    make bench                                   # 1,000,000 households (throwaway PostgreSQL)
    DOUDI_BENCH_HOUSEHOLDS=100000 make bench     # smaller run
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.settings.base")
ON = "2016-06-01"


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, round(time.perf_counter() - started, 2)


def step_generate(households: int) -> dict:
    from doudi.demo.generator import Generator

    report, seconds = timed(lambda: Generator(seed=2015, households=households).run())
    from django.db import connection

    # What autovacuum would do after a bulk load: statistics, hint bits and the visibility map.
    vacuum_started = time.perf_counter()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")
    return {
        "seconds": seconds,
        "facts_seconds": round(report.facts_seconds, 1),
        "vacuum_analyze_seconds": round(time.perf_counter() - vacuum_started, 1),
        "households": report.households,
        "people": report.people,
        "rows": sum(report.records.values()),
        "rows_by_table": report.records,
        "peak_rss_mb": peak_rss_mb(),
    }


def step_search() -> dict:
    """Median of 5 runs of the first page of household search for a township caseworker."""
    from doudi.accounts.models import Staff
    from doudi.areas.models import Area
    from doudi.registry.models import Person
    from doudi.registry.selectors import household_search

    township = Area.objects.filter(level="township").order_by("code")[1]
    user = Staff(username="bench", role="township_caseworker", area=township)
    sample = Person.objects.filter(memberships__household__area__code__startswith=township.prefix).first()
    cases = {
        "name": {"q": sample.name},
        "id_number": {"q": sample.id_number},
        "id_last4": {"q": sample.id_number[-4:]},
        "no_filter_count": {},
    }
    out = {}
    for name, params in cases.items():
        runs = []
        for _ in range(5):
            t = time.perf_counter()
            qs = household_search(user, **params)
            qs.count()
            list(qs[:25])
            runs.append((time.perf_counter() - t) * 1000)
        out[f"{name}_ms"] = round(statistics.median(runs), 1)
    # what every registry action adds: recomputing one household's facts (registry/facts.py)
    from django.db import transaction

    from doudi.registry.facts import facts_refresh
    from doudi.registry.models import Household

    runs = []
    for pk in Household.objects.filter(area__code__startswith=township.prefix).values_list("pk", flat=True)[:5]:
        with transaction.atomic():
            t = time.perf_counter()
            facts_refresh([pk])
            runs.append((time.perf_counter() - t) * 1000)
            transaction.set_rollback(True)
    out["facts_refresh_one_household_ms"] = round(statistics.median(runs), 1)
    return out


def step_evaluate() -> dict:
    """Re-evaluate dibao for every household (set-based SQL engine), and the plain SQL aggregate of the same
    incomes for comparison; plus the Python rules on one township for their per-household rate."""
    import datetime as dt

    from django.db import connection, transaction

    from doudi.areas.models import Area
    from doudi.programmes.actions import policy_pack_load
    from doudi.programmes.batch import evaluation_run
    from doudi.programmes.pack import DEMO_PACK
    from doudi.programmes.rules.operators import COUNTED_KINDS, SUBTRACTED_KINDS
    from doudi.core.sql import literals as _in

    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    on = dt.date.fromisoformat(ON)
    aggregate_sql = f"""CREATE TEMP TABLE bench_income AS
        SELECT household_id,
               SUM(CASE WHEN kind IN ({_in(COUNTED_KINDS)}) THEN monthly ELSE 0 END)
             - SUM(CASE WHEN kind IN ({_in(SUBTRACTED_KINDS)}) THEN monthly ELSE 0 END) AS income
        FROM registry_income GROUP BY household_id"""

    def aggregate():
        with transaction.atomic(), connection.cursor() as c:
            c.execute(aggregate_sql)
            c.execute("SELECT COUNT(*) FROM bench_income")
            rows = c.fetchone()[0]
            c.execute("DROP TABLE bench_income")
            return rows

    # The goal is a ratio, and this shared 2-vCPU machine drifts by tens of percent within minutes: time the
    # evaluation and the aggregate in alternation (5 pairs) so both see the same moments, and compare medians.
    evaluations, aggregates = [], []
    for _ in range(5):
        evaluations.append(timed(lambda: evaluation_run(actor=None, programme="dibao", on=on, area_prefix="511425")))
        aggregates.append(timed(aggregate)[1])
    run = evaluations[0][0]
    seconds = statistics.median(t for _, t in evaluations)
    aggregate_s = statistics.median(aggregates)
    township = Area.objects.filter(level="township").order_by("code")[1]
    py_run, py_seconds = timed(
        lambda: evaluation_run(
            actor=None, programme="dibao", on=on, area_prefix=township.prefix[:9] + "0", engine="python"
        )
    )
    return {
        "households": run.households,
        "seconds": seconds,
        "runs_seconds": [t for _, t in evaluations],
        "eligible_households": run.summary["totals"]["eligible_households"],
        "monthly_total": run.summary["totals"]["monthly_total"],
        "plain_sql_aggregate_seconds": aggregate_s,
        "aggregate_runs_seconds": aggregates,
        "ratio_to_aggregate": round(seconds / aggregate_s, 2),
        "pair_ratios": [round(t / a, 2) for (_, t), a in zip(evaluations, aggregates)],
        "python_engine_sample": {
            "households": py_run.households,
            "seconds": py_seconds,
            "households_per_second": round(py_run.households / py_seconds, 1) if py_seconds else None,
        },
        "peak_rss_mb": peak_rss_mb(),
    }


def step_payroll() -> dict:
    """A monthly payroll for one active dibao enrolment per household: our generation (batched reads, COPY
    writes, anomaly checks) against a bare INSERT … SELECT of the same number of lines, and the ORM creating
    lines one object at a time on 50,000 rows."""
    import datetime as dt

    from django.db import connection, transaction

    from doudi.accounts.models import Staff
    from doudi.payments.generation import payroll_generate
    from doudi.payments.models import Payroll, PayrollLine

    from doudi.programmes.actions import policy_pack_load
    from doudi.programmes.pack import DEMO_PACK

    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    month = dt.date(2026, 6, 1)
    staff, _ = Staff.objects.get_or_create(username="bench", defaults={"role": "bureau_admin"})
    with transaction.atomic(), connection.cursor() as c:  # set-based set-up: a case, enrolment and start per household
        c.execute("SELECT COALESCE(MAX(id), 0) FROM cases_case")
        c.execute(
            f"""INSERT INTO cases_case (kind, programme_id, household_id, applicant_id, area_code, state, version,
                     flagged, complaint, extension, extension_reason, created_by_id, created_at, township_opinion,
                     refusal_reason, withdraw_reason, step_due_complete, total_due_complete)
                     SELECT 'new', 'dibao', h.id, m.person_id, h.area_id, 'approved', 0, false, false, false, '', %s,
                            now(), '', '', '', true, true
                     FROM registry_household h JOIN registry_membership m ON m.household_id = h.id
                          AND m.relation = 'head' AND m.end_date IS NULL""",
            [staff.pk],
        )
        c.execute(
            """INSERT INTO cases_enrolment (programme_id, household_id, case_id, area_code, status, start_month,
                     monthly_amount, counted_members, review_category, next_review_due, created_at)
                     SELECT 'dibao', c.household_id, c.id, c.area_code, 'active', %s, 100 + (c.id %% 200), 1, 'stable',
                            %s, now() FROM cases_case c""",
            [month, dt.date(2027, 6, 1)],
        )
        c.execute("""INSERT INTO cases_enrolmentchange (enrolment_id, kind, from_month, new_amount, reason, at)
                     SELECT id, 'start', start_month, monthly_amount, 'bench', now() FROM cases_enrolment""")
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")
    payroll, seconds = timed(lambda: payroll_generate(actor=None, programme="dibao", month=month))
    lines = payroll.line_count

    def clean(payroll_id):
        with transaction.atomic(), connection.cursor() as c:
            c.execute("DELETE FROM payments_payrollline WHERE payroll_id = %s", [payroll_id])
            c.execute("DELETE FROM payments_payroll WHERE id = %s", [payroll_id])
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE payments_payrollline")

    bare_sql = """INSERT INTO payments_payrollline (payroll_id, enrolment_id, household_id, area_code, hukou_type,
                  account, account_holder, id_number, amount, current_amount, arrears_amount, offset_amount, months,
                  members, status, failure_reason)
                  SELECT %s, e.id, e.household_id, e.area_code, h.hukou_type, h.bank_account, h.account_holder,
                         '', e.monthly_amount, e.monthly_amount, 0, 0, '[]', e.counted_members, 'pending', ''
                  FROM cases_enrolment e JOIN registry_household h ON h.id = e.household_id"""

    def bare(commit: bool):
        # Committed, as the payroll is: the lines' foreign keys are checked at commit (deferred constraints),
        # so a rolled-back insert never pays for them. Its rows are deleted afterwards, outside the timing.
        p = Payroll.objects.create(programme_id="dibao", month=dt.date(2026, 7, 1), area_prefix="x", batch_id="b")
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as c:
            c.execute(bare_sql, [p.pk])
            n = c.rowcount
            if not commit:
                transaction.set_rollback(True)
        elapsed = round(time.perf_counter() - started, 2)
        clean(p.pk)
        return n, elapsed

    bare_rows, bare_seconds = bare(commit=True)
    _, bare_rolled_back_seconds = bare(commit=False)

    def orm(n=50_000):
        from doudi.cases.models import Enrolment

        p = Payroll.objects.create(programme_id="dibao", month=dt.date(2026, 8, 1), area_prefix="y", batch_id="b")
        started = time.perf_counter()
        done = 0
        with transaction.atomic():
            for e in Enrolment.objects.select_related("household").order_by("pk")[:n]:
                done += 1
                PayrollLine.objects.create(
                    payroll=p,
                    enrolment=e,
                    household=e.household,
                    area_code=e.area_code,
                    hukou_type=e.household.hukou_type,
                    account=e.household.bank_account,
                    account_holder=e.household.account_holder,
                    amount=e.monthly_amount,
                    current_amount=e.monthly_amount,
                    members=e.counted_members,
                )
        elapsed = round(time.perf_counter() - started, 2)
        clean(p.pk)
        return done, elapsed

    orm_rows, orm_seconds = orm()
    ours_per_row = seconds / lines
    orm_per_row = orm_seconds / orm_rows
    return {
        "lines": lines,
        "total": f"{payroll.total:.2f}",
        "seconds": seconds,
        "anomalies": payroll.anomalies.count(),
        "bare_insert_select": {
            "rows": bare_rows,
            "seconds": bare_seconds,
            "rolled_back_seconds": bare_rolled_back_seconds,
        },
        "ratio_to_bare_insert": round(seconds / bare_seconds, 2),
        "ratio_to_rolled_back_insert": round(seconds / bare_rolled_back_seconds, 2),
        "orm_one_at_a_time": {"rows": orm_rows, "seconds": orm_seconds},
        "speedup_over_orm_per_row": round(orm_per_row / ours_per_row, 1),
        "peak_rss_mb": peak_rss_mb(),
    }


STEPS = {"generate": step_generate, "search": step_search, "evaluate": step_evaluate, "payroll": step_payroll}


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in STEPS:
        import django

        django.setup()
        args = [int(a) for a in sys.argv[2:]]
        print(json.dumps(STEPS[sys.argv[1]](*args)))
        return 0
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("make bench needs PostgreSQL (DATABASE_URL); the Makefile starts a throwaway cluster for it.")
        return 2
    households = int(os.environ.get("DOUDI_BENCH_HOUSEHOLDS", "1000000"))
    call_command("migrate", verbosity=0)
    with connection.cursor() as c:
        c.execute("SHOW server_version")
        pg = c.fetchone()[0]
    connection.close()
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": pg,
            "platform": platform.platform(),
        },
        "households_requested": households,
    }
    steps = os.environ.get("DOUDI_BENCH_STEPS", "generate,search,evaluate,payroll").split(",")
    for name, args in (("generate", [str(households)]), ("search", []), ("evaluate", []), ("payroll", [])):
        if name not in steps:
            continue
        out = subprocess.run([sys.executable, "-m", "benchmarks.run", name, *args], capture_output=True, text=True)
        if out.returncode != 0:
            print(out.stderr)
            return out.returncode
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
        print(name, json.dumps(results[name], ensure_ascii=False))
    folder = Path(__file__).parent / "results"
    folder.mkdir(exist_ok=True)
    (folder / f"scale-{households}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
