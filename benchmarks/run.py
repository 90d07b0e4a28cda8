"""`make bench`: scale benchmarks on PostgreSQL. Figures go to stdout and benchmarks/results/<name>.json;
docs/benchmarks.md records them with the machine and the command.

    make bench                                   # 1,000,000 households (throwaway PostgreSQL)
    DOUDI_BENCH_HOUSEHOLDS=100000 make bench     # smaller run
"""
from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.settings.base")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("make bench needs PostgreSQL (DATABASE_URL); the Makefile starts a throwaway cluster for it.")
        return 2
    households = int(os.environ.get("DOUDI_BENCH_HOUSEHOLDS", "1000000"))
    call_command("migrate", verbosity=0)
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                 "platform": platform.platform()},
                     "households_requested": households}
    with connection.cursor() as c:
        c.execute("SHOW server_version")
        results["machine"]["postgresql"] = c.fetchone()[0]

    from doudi.demo.generator import Generator

    started = time.perf_counter()
    report = Generator(seed=2015, households=households).run()
    results["generate"] = {"seconds": round(time.perf_counter() - started, 1), "households": report.households,
                           "people": report.people, "rows": sum(report.records.values()),
                           "rows_by_table": report.records, "peak_rss_mb": round(peak_rss_mb(), 1)}
    print(f"generate: {report.households:,} households, {report.people:,} people, "
          f"{sum(report.records.values()):,} rows in {results['generate']['seconds']} s, "
          f"peak RSS {results['generate']['peak_rss_mb']} MB")

    with connection.cursor() as c:
        c.execute("ANALYZE")
    results["search"] = search_timings()
    for name, ms in results["search"].items():
        print(f"search {name}: {ms} ms")

    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"registry-{households}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


def search_timings() -> dict:
    """Median of 5 runs of the first page of household search for a township caseworker."""
    import statistics

    from doudi.accounts.models import Staff
    from doudi.areas.models import Area
    from doudi.registry.models import Person
    from doudi.registry.selectors import household_search

    township = Area.objects.filter(level="township").order_by("code")[1]
    user = Staff(username="bench", role="township_caseworker", area=township)
    sample = Person.objects.filter(memberships__household__area__code__startswith=township.prefix).first()
    cases = {"name": {"q": sample.name}, "id_number": {"q": sample.id_number},
             "id_last4": {"q": sample.id_number[-4:]}, "no_filter_count": {}}
    timings = {}
    for name, params in cases.items():
        runs = []
        for _ in range(5):
            t = time.perf_counter()
            qs = household_search(user, **params)
            qs.count()
            list(qs[:25])
            runs.append((time.perf_counter() - t) * 1000)
        timings[name] = round(statistics.median(runs), 1)
    return timings


if __name__ == "__main__":
    sys.exit(main())
