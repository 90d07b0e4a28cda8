"""`make bench`, statistics (issue 14): at a million households, on the payroll the earlier steps generated,
approved and returned (one month, 2026-06, every household on it) and the overpayments step's recoveries:

- ``stats_indicators``: every indicator of the catalogue for the month (value, previous month, year to date) for
  the county, then for each township; with each indicator's own time for the county, slowest first;
- ``stats_dashboard``: the dashboard's snapshots refreshed (the background job's work: the county and every
  township × the year's months), then the dashboard page answering from them (median of 5);
- ``stats_report``: the monthly report .xlsx of the county (a sheet per township, the published lists).

Each figure comes with the wall time, the CPU time of this process and of its PostgreSQL backend (read from
/proc: the same machine), and the load average when it started, because the machine is shared.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import statistics
import time

MONTH = dt.date(2026, 6, 1)  # benchmarks.run.PAYROLL_MONTH
COUNTY = "511425000000"


def _backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine), or None."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        pid = c.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def measure(fn) -> tuple:
    """``fn()``'s value and its wall time, this process's CPU time, the database backend's CPU time and the
    1-minute load average when it started."""
    load = os.getloadavg()[0]
    cpu, db = _cpu(), _backend_cpu()
    started = time.perf_counter()
    value = fn()
    wall = time.perf_counter() - started
    db_after = _backend_cpu()
    return value, {
        "seconds": round(wall, 2),
        "app_cpu_seconds": round(_cpu() - cpu, 2),
        "db_cpu_seconds": round(db_after - db, 2) if db is not None and db_after is not None else None,
        "load_average_1min": round(load, 2),
    }


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _reviewer():
    from django.utils import timezone

    from doudi.accounts.models import Staff
    from doudi.areas.models import Area

    return Staff.objects.get_or_create(
        username="bench-stats",
        defaults={
            "role": "county_reviewer",
            "area": Area.objects.get(code=COUNTY),
            "password_changed_at": timezone.now(),
        },
    )[0]


def step_stats_indicators(townships: int = 0) -> dict:
    """Every indicator for the month: the county (each indicator timed), then every township (or the first
    ``townships``)."""
    from doudi.areas.models import Area
    from doudi.statistics.catalogue import CATALOGUE
    from doudi.statistics.selectors import context_for, figure, figures, figures_json

    out = {"month": f"{MONTH:%Y-%m}", "indicators": len(CATALOGUE)}
    items, out["county"] = measure(lambda: figures(None, MONTH, area=COUNTY))
    got = figures_json(items)
    out["county_figures"] = {
        c: got[c]["value"] for c in ("DB0101000000", "DB0102000000", "DB0301000000", "FF0101000000", "ZH0102000000")
    }
    # where the county's time goes: each indicator (value, previous month, year to date), slowest first
    ctx = context_for(None, COUNTY)
    each = {}
    for code in sorted(CATALOGUE):
        started = time.perf_counter()
        figure(ctx, CATALOGUE[code], MONTH)
        each[code] = round(time.perf_counter() - started, 2)
    out["county_slowest_indicators_seconds"] = dict(sorted(each.items(), key=lambda kv: -kv[1])[:8])
    codes = list(
        Area.objects.filter(level="township", code__startswith="511425").order_by("code").values_list("code", flat=True)
    )
    if townships:
        codes = codes[:townships]
    per = []

    def all_townships():
        for code in codes:
            started = time.perf_counter()
            figures(None, MONTH, area=code)
            per.append(time.perf_counter() - started)

    _, out["townships"] = measure(all_townships)
    out["townships"]["count"] = len(codes)
    out["townships"]["median_per_township_seconds"] = round(statistics.median(per), 2) if per else None
    out["townships"]["max_per_township_seconds"] = round(max(per), 2) if per else None
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def step_stats_dashboard() -> dict:
    """The snapshots refreshed (what the background job does), then the page answering from them."""
    from django.test import Client
    from django.utils import timezone

    from doudi.statistics.dashboard import months_of, stale
    from doudi.statistics.models import Snapshot
    from doudi.statistics.tasks import snapshots_refresh

    year = MONTH.year
    n, refresh = measure(lambda: snapshots_refresh("511425", year))
    out = {"refresh": {**refresh, "snapshots": n}}
    assert not stale("511425", months_of(year, timezone.localdate()))
    june = Snapshot.objects.get(prefix="511425", month=MONTH).data
    out["snapshot_june"] = {c: june[c]["value"] for c in ("DB0101000000", "DB0102000000", "DB0301000000")}
    client = Client(SERVER_NAME="localhost")
    client.force_login(_reviewer())
    url = f"/statistics/dashboard/?area={COUNTY}&year={year}"
    first = client.get(url)
    assert first.status_code == 200, first.status_code
    out["page_bytes"] = len(first.content)
    times = []

    def five():
        for _ in range(5):
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append((time.perf_counter() - started) * 1000)

    _, out["page_5_times"] = measure(five)
    out["page_ms_median"] = round(statistics.median(times), 1)
    out["page_ms_each"] = [round(t, 1) for t in times]
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def step_stats_report() -> dict:
    """The county's monthly report .xlsx: a sheet for the county and each township, the published lists."""
    from doudi.statistics.monthly import monthly_report

    data, out = measure(lambda: monthly_report(MONTH, prefix="511425"))
    out["bytes"] = len(data)
    out["peak_rss_mb"] = peak_rss_mb()
    return out
