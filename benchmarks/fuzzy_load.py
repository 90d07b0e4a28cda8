"""Probabilistic matching inside a department load, on a built demo county (issue 13).

Run on a copy of the demo's database (it adds a load):

    cp db.sqlite3 /tmp/bench.sqlite3
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/doudi shell < benchmarks/fuzzy_load.py

or on the registry `make bench` builds (PostgreSQL), for a county of its size: ``DOUDI_FUZZY_AREA`` the area the load
is for (its code's significant digits; default the demo county, 511425) and ``DOUDI_FUZZY_PEOPLE`` how many of its
people the file holds (default 6,000).

A housing-fund file of up to 6,000 registry people, one number in ten with a sequence digit mistyped (the check
character then fails, so exact matching cannot take it); the whole load is timed, then the probabilistic pass
alone again on the same records, and every probabilistic match is checked against the person the row was made for.
"""

import datetime as dt
import os
import random
import resource
import time

from django.db import transaction

from doudi.registry.models import Membership
from doudi.verification import matching
from doudi.verification.generator import Subject, _headers, _Maker, file_bytes
from doudi.verification.loads import dataset_load
from doudi.verification.schemas import KINDS

KIND = KINDS["housing_fund"]
AREA = os.environ.get("DOUDI_FUZZY_AREA", "511425")
PEOPLE = int(os.environ.get("DOUDI_FUZZY_PEOPLE", "6000"))
rng = random.Random(5)
members = list(
    Membership.objects.filter(end_date__isnull=True, household__area__code__startswith=AREA)
    .select_related("person")
    .order_by("pk")[:PEOPLE]
)
make = _Maker(random.Random(3), dt.date(2026, 11, 30))
rows, wrong = [], 0
for m in members:
    number = m.person.id_number
    if rng.random() < 0.10:
        number, wrong = number[:15] + str((int(number[15]) + 1) % 10) + number[16:], wrong + 1
    rows.append(make.row(KIND, Subject(m.person_id, m.person.name, number, m.person.birth_date)))
content = file_bytes(_headers(KIND), rows, "csv")
in_area = Membership.objects.filter(end_date__isnull=True, household__area__code__startswith=AREA).count()
print("registry people in the area:", in_area, "in the file:", len(rows))

started = time.perf_counter()
load = dataset_load(
    actor=None, kind=KIND.code, as_of=dt.date(2026, 11, 30), filename="hf.csv", content=content, area_prefix=AREA
)
whole = time.perf_counter() - started
fuzzy = load.records.filter(match_method="fuzzy")
print(f"rows {load.rows}, mistyped {wrong}, matched {load.matched} ({fuzzy.count()} probabilistically), {whole:.1f} s")

truth = {i + 2: m.person_id for i, m in enumerate(members)}
found = list(fuzzy.values_list("row", "person_id"))
print("probabilistic matches that are the right person:", sum(truth[r] == p for r, p in found), "of", len(found))

with transaction.atomic():
    fuzzy.update(person=None, household=None, area_code="", match_method="", match_probability=None, match_reasons=[])
    started = time.perf_counter()
    taken = matching.fuzzy_match(load, AREA)
    alone = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(
    f"the probabilistic pass alone: {taken} of {wrong} in {alone:.1f} s ({alone / max(wrong, 1) * 1000:.1f} ms a record)"
)
print(f"peak memory of the process: {peak:.0f} MB")
