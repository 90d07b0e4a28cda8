"""`make bench`, statistics (issue 14): at a million households, on the payroll the earlier steps generated,
approved and returned (one month, 2026-06, every household on it) and the overpayments step's recoveries:

- ``stats_indicators``: every indicator of the catalogue for the month (value, previous month, year to date),
  set-based: the county, the county with every township, a township at a time; then the catalogue's own
  per-indicator path for the county, for comparison;
- ``stats_dashboard``: the snapshots refreshed (the background job's work: the county and every township × the
  year's months, the dashboard's figures and every indicator), then the dashboard page and the figures page
  answering from them (median of 5 each);
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


def _approved_payroll(staff) -> dict:
    from django.db import connection, transaction

    from benchmarks import run
    from doudi.payments import actions, totals
    from doudi.payments.generation import payroll_generate
    from doudi.payments.models import Anomaly
    from doudi.programmes.actions import policy_pack_load
    from doudi.programmes.pack import DEMO_PACK

    policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
    out = {}
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SELECT COUNT(*) FROM cases_enrolment")
        if not c.fetchone()[0]:
            c.execute(
                """INSERT INTO cases_case (kind, programme_id, household_id, applicant_id, area_code, state, version,
                         flagged, complaint, extension, extension_reason, created_by_id, created_at, township_opinion,
                         refusal_reason, withdraw_reason, step_due_complete, total_due_complete)
                         SELECT 'new', 'dibao', h.id, m.person_id, h.area_id, 'approved', 0, false, false, false, '',
                                %s, now(), '', '', '', true, true
                         FROM registry_household h JOIN registry_membership m ON m.household_id = h.id
                              AND m.relation = 'head' AND m.end_date IS NULL""",
                [staff.pk],
            )
            c.execute(
                """INSERT INTO cases_enrolment (programme_id, household_id, case_id, area_code, status, start_month,
                         monthly_amount, counted_members, review_category, next_review_due, created_at)
                         SELECT 'dibao', c.household_id, c.id, c.area_code, 'active', %s, 100 + (c.id %% 200), 1,
                                'stable', %s, now() FROM cases_case c""",
                [MONTH, dt.date(2027, 6, 1)],
            )
            c.execute("""INSERT INTO cases_enrolmentchange (enrolment_id, kind, from_month, new_amount, reason, at)
                         SELECT id, 'start', start_month, monthly_amount, 'bench', now() FROM cases_enrolment""")
            out["enrolments"] = c.rowcount
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")
    payroll = payroll_generate(actor=None, programme="dibao", month=MONTH)
    payroll, (officer1, officer2) = run._bench_payroll()
    totals.totals_recompute(payroll)
    Anomaly.objects.filter(payroll=payroll, status="open").update(status="accepted", reason="benchmark")
    actions.payroll_check(actor=officer1, payroll=payroll)
    payroll = actions.payroll_approve(actor=officer2, payroll=payroll)
    out.update({"lines": payroll.line_count, "total": f"{payroll.total:.2f}", "state": payroll.state})
    return out


def step_stats_setup(every: int = 10) -> dict:
    """What the statistics steps read, when the payment steps did not run before them (``DOUDI_BENCH_STEPS=
    generate,stats_setup,stats_…``): the payroll step's set-up (a case and an active dibao enrolment per household),
    the month's payroll generated, checked and approved (its anomalies accepted), and overpayments on one enrolment
    in ``every`` raised in May–June, half repaid in full — set-based, untimed. Nothing when the month's payroll is
    already approved (the full run: the payroll, bank_export, bank_return and overpayments steps made it)."""
    from django.db import connection, transaction

    from doudi.accounts.models import Staff
    from doudi.cases.models import Overpayment
    from doudi.payments.models import Payroll

    done = Payroll.objects.filter(
        programme_id="dibao", kind="regular", month=MONTH, state__in=["approved", "exported", "reconciled"]
    )
    staff, _ = Staff.objects.get_or_create(username="bench", defaults={"role": "county_reviewer"})
    out = {}
    if done.exists():
        out["payroll"] = "approved already"
    else:
        out.update(_approved_payroll(staff))
    if Overpayment.objects.filter(reason="bench").exists():
        out["overpayments"] = "made already"
        return out
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            """INSERT INTO cases_overpayment (enrolment_id, amount, reason, fraud, status, created_by_id,
                                                    created_at, raised_on)
                     SELECT id, 100, 'bench', false, 'open', %s, now(), DATE '2026-05-01' + (id %% 61)::int
                     FROM cases_enrolment WHERE id %% %s = 0""",
            [staff.pk, every],
        )
        out["overpayments"] = c.rowcount
        c.execute(
            """INSERT INTO payments_recovery (overpayment_id, kind, amount, note, created_by_id, created_at,
                                              recovered_on)
                     SELECT id, 'repayment', 100, 'bench', %s, now(), raised_on + 3
                     FROM cases_overpayment WHERE reason = 'bench' AND enrolment_id %% %s = 0""",
            [staff.pk, every * 2],
        )
        out["repayments"] = c.rowcount
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")
    return out


def step_stats_indicators(townships: int = 0) -> dict:
    """Every indicator for the month, set-based (``statistics.grouped``: what the figures page computes when it has
    no fresh snapshot, the API and the command): the county; the county and every township together (the monthly
    report's sheets); one township at a time. Then, for comparison, the catalogue's own per-indicator computation
    for the county (each indicator timed: the path the figures page and the report took before)."""
    from doudi.areas.models import Area
    from doudi.statistics.catalogue import CATALOGUE
    from doudi.statistics.selectors import context_for, figure, figures, figures_json, figures_of_areas

    out = {"month": f"{MONTH:%Y-%m}", "indicators": len(CATALOGUE)}
    items, out["county"] = measure(lambda: figures(None, MONTH, area=COUNTY))
    got = figures_json(items)
    shown = ("DB0101000000", "DB0102000000", "DB0301000000", "DB0103100000", "FF0101000000", "ZH0102000000")
    out["county_figures"] = {c: got[c]["value"] for c in shown}
    prefixes = list(
        Area.objects.filter(level="township", code__startswith="511425")
        .order_by("code")
        .values_list("prefix", flat=True)
    )
    if townships:
        prefixes = prefixes[:townships]
    ctx = context_for(None, COUNTY)
    every, out["county_and_every_township"] = measure(lambda: figures_of_areas(ctx, ["511425", *prefixes], MONTH))
    out["county_and_every_township"]["areas"] = 1 + len(prefixes)
    assert figures_json(every["511425"]) == got, "the county's figures computed alone and with its townships"
    per = []

    def some_townships():
        for p in prefixes[:5]:
            started = time.perf_counter()
            figures(None, MONTH, area=p.ljust(12, "0"))
            per.append(time.perf_counter() - started)

    _, out["one_township_at_a_time"] = measure(some_townships)
    out["one_township_at_a_time"]["count"] = len(per)
    out["one_township_at_a_time"]["median_seconds"] = round(statistics.median(per), 2) if per else None
    # before: each indicator's own queries (value, previous month, year to date) for the county, slowest first
    each = {}

    def catalogue_county():
        for code in sorted(CATALOGUE):
            started = time.perf_counter()
            f = figure(ctx, CATALOGUE[code], MONTH)
            each[code] = round(time.perf_counter() - started, 2)
            expected = got[code]
            assert (f.value is None and expected["value"] is None) or str(f.value) == str(expected["value"]), code

    _, out["catalogue_county_per_indicator"] = measure(catalogue_county)
    out["catalogue_county_slowest_indicators_seconds"] = dict(sorted(each.items(), key=lambda kv: -kv[1])[:6])
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
    # the figures page (every indicator of the month, the county) from its snapshot
    figures_url = f"/statistics/?month={MONTH:%Y-%m}&area={COUNTY}"
    page = client.get(figures_url)
    assert page.status_code == 200 and "后台于".encode() in page.content, "the figures page reads the snapshot"
    figure_times = []

    def five_figures():
        for _ in range(5):
            started = time.perf_counter()
            assert client.get(figures_url).status_code == 200
            figure_times.append((time.perf_counter() - started) * 1000)

    _, out["figures_page_5_times"] = measure(five_figures)
    out["figures_page_ms_median"] = round(statistics.median(figure_times), 1)
    out["figures_page_ms_each"] = [round(t, 1) for t in figure_times]
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def step_stats_report() -> dict:
    """The county's monthly report .xlsx: a sheet for the county and each township, the published lists."""
    from doudi.statistics.monthly import monthly_report

    data, out = measure(lambda: monthly_report(MONTH, prefix="511425"))
    out["bytes"] = len(data)
    out["peak_rss_mb"] = peak_rss_mb()
    return out
