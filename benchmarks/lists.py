# ruff: noqa: E402  (a script: Django is set up before the application is imported)
"""The household lists of evaluation runs at scale (PostgreSQL): the runs with their change rows, a simulation,
list pages, counts and exports. Figures are in docs/benchmarks.md ("Household lists of runs").

    DOUDI_PGPORT=55805 scripts/with-postgres.sh .venv/bin/python -m benchmarks.lists 200000
"""

import datetime as dt
import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.settings.base")
import django

django.setup()
from django.core.management import call_command
from django.db import connection

N = int(sys.argv[1])
out = {"households": N}


def timed(fn):
    t = time.perf_counter()
    v = fn()
    return v, round(time.perf_counter() - t, 3)


call_command("migrate", verbosity=0)
from doudi.demo.generator import Generator

_, out["generate_s"] = timed(lambda: Generator(seed=2015, households=N).run())
with connection.cursor() as c:
    c.execute("VACUUM ANALYZE")
from doudi.programmes import batch
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.batch import evaluation_run
from doudi.programmes.pack import DEMO_PACK, DIBAO_COMMON

policy_pack_load(actor=None, county_code="511425000000", pack=DEMO_PACK)
on = dt.date(2016, 6, 1)
# time the list rows separately by wrapping changes_insert
orig = batch.changes_insert
change_times = []


def wrapped(run, base):
    v, s = timed(lambda: orig(run, base))
    change_times.append((s, v, base is not None))
    return v


batch.changes_insert = wrapped
runs = []
for _i in range(3):
    r, s = timed(lambda: evaluation_run(actor=None, programme="dibao", on=on, area_prefix="511425"))
    runs.append(r)
    out.setdefault("evaluation_runs_s", []).append(s)
out["change_rows_s"] = [(s, n, based) for s, n, based in change_times]
from doudi.programmes.models import EvaluationChange, ParameterVersion

values = {"standard_urban": "420.00", "standard_rural": "260.00", **DIBAO_COMMON}
draft = ParameterVersion.objects.create(programme_id="dibao", area_id="511425000000", effective_from=on, values=values)
sim, out["simulation_s"] = timed(
    lambda: evaluation_run(actor=None, programme="dibao", on=on, area_prefix="511425", draft=draft, compare=True)
)
out["simulation_change_rows_s"] = change_times[-1][:2]
with connection.cursor() as c:
    c.execute("ANALYZE programmes_evaluationchange")
from doudi.areas.models import Area
from doudi.programmes.exports import run_changes_xlsx
from doudi.programmes.selectors import ChangeFilter, run_change_counts, run_changes, run_changes_page

town = Area.objects.filter(level="township").order_by("code")[1]


def med(fn, n=5):
    ts = [timed(fn)[1] * 1000 for _ in range(n)]
    return round(statistics.median(ts), 1)


def page(prefix="511425", f=None, after="", order="-difference"):
    qs = run_changes(sim, scope_prefix=prefix, f=f or ChangeFilter(order=order))
    return run_changes_page(qs, order=order, after=after)


out["sim_rows"] = EvaluationChange.objects.filter(run=sim).count()
out["page_county_first_ms"] = med(lambda: page())
out["page_county_count_ms"] = med(lambda: run_changes(sim, scope_prefix="511425", f=ChangeFilter()).count())
out["page_township_first_ms"] = med(lambda: page(prefix=town.prefix))
out["page_township_kind_new_ms"] = med(lambda: page(prefix=town.prefix, f=ChangeFilter(kind="new")))
out["page_kind_lost_ms"] = med(lambda: page(f=ChangeFilter(kind="lost", order="difference"), order="difference"))
out["page_amount_range_ms"] = med(lambda: page(f=ChangeFilter(amount_min=300, amount_max=400)))
# a deep page: follow cursors 200 pages in, then time one page
cursor = ""
for _ in range(200):
    rows, cursor = page(after=cursor)
out["page_201_ms"] = med(lambda: page(after=cursor))
out["counts_county_ms"] = med(
    lambda: run_change_counts(run_changes(sim, scope_prefix="511425", f=ChangeFilter(), kind=False)), 3
)
out["counts_township_ms"] = med(
    lambda: run_change_counts(run_changes(sim, scope_prefix=town.prefix, f=ChangeFilter(), kind=False)), 3
)
(content, n), s = timed(lambda: run_changes_xlsx(sim, run_changes(sim, scope_prefix=town.prefix, f=ChangeFilter())))
out["export_township"] = {"rows": n, "seconds": s, "bytes": len(content)}
(content, n), s = timed(lambda: run_changes_xlsx(sim, run_changes(sim, scope_prefix="511425", f=ChangeFilter())))
out["export_county"] = {"rows": n, "seconds": s, "bytes": len(content)}
print(json.dumps(out, indent=1, default=str))
open(f"benchmarks/results/lists-{N}.json", "w").write(json.dumps(out, indent=1, default=str))
