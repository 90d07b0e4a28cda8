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
    return {"seconds": seconds, "vacuum_analyze_seconds": round(time.perf_counter() - vacuum_started, 1), "households": report.households, "people": report.people,
            "rows": sum(report.records.values()), "rows_by_table": report.records, "peak_rss_mb": peak_rss_mb()}


def step_search() -> dict:
    """Median of 5 runs of the first page of household search for a township caseworker."""
    from doudi.accounts.models import Staff
    from doudi.areas.models import Area
    from doudi.registry.models import Person
    from doudi.registry.selectors import household_search

    township = Area.objects.filter(level="township").order_by("code")[1]
    user = Staff(username="bench", role="township_caseworker", area=township)
    sample = Person.objects.filter(memberships__household__area__code__startswith=township.prefix).first()
    cases = {"name": {"q": sample.name}, "id_number": {"q": sample.id_number},
             "id_last4": {"q": sample.id_number[-4:]}, "no_filter_count": {}}
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
    from doudi.programmes.sql_dibao import _in

    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    on = dt.date.fromisoformat(ON)
    run, seconds = timed(lambda: evaluation_run(actor=None, programme="dibao", on=on, area_prefix="511425"))
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

    aggregates = [timed(aggregate)[1] for _ in range(3)]
    aggregate_s = statistics.median(aggregates)
    township = Area.objects.filter(level="township").order_by("code")[1]
    py_run, py_seconds = timed(lambda: evaluation_run(actor=None, programme="dibao", on=on,
                                                      area_prefix=township.prefix[:9] + "0", engine="python"))
    return {"households": run.households, "seconds": seconds, "eligible_households":
            run.summary["totals"]["eligible_households"], "monthly_total": run.summary["totals"]["monthly_total"],
            "plain_sql_aggregate_seconds": aggregate_s, "ratio_to_aggregate": round(seconds / aggregate_s, 2),
            "python_engine_sample": {"households": py_run.households, "seconds": py_seconds,
                                     "households_per_second": round(py_run.households / py_seconds, 1)
                                     if py_seconds else None},
            "peak_rss_mb": peak_rss_mb()}


STEPS = {"generate": step_generate, "search": step_search, "evaluate": step_evaluate}


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
    results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "postgresql": pg,
                           "platform": platform.platform()}, "households_requested": households}
    for name, args in (("generate", [str(households)]), ("search", []), ("evaluate", [])):
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
