"""Matching a load's records to the registry's people.

Exact first: on the resident ID number through its blind index (doudi/core/crypto.py), the old 15-digit form
converted to 18 characters first (ids.py), and only against people whose current household lies inside the
loader's area. A record with no usable ID number (missing, or a wrong check character) then goes to the
probabilistic engine (doudi.matching, Splink on DuckDB) against the area's people who share its name or the birth
date its number's first 17 characters carry. A pair is taken when its probability is at least
``FUZZY_THRESHOLD`` and each record is the other's best candidate; the record keeps the probability and the
reasons (each comparison's level and weight) for the load's page. How common a name is comes from the area's
whole registry, not from the handful of candidates (a short list gathered by name would make every name look
common), and the chance that a record is a given one of them is half of one in the area's population (the rest of
a department's records are people living elsewhere), however few candidates are scored. Each record is compared
with each of its own candidates (``OWN_CANDIDATES``: the same name, or born on the day its number says; the
candidates another record of the batch brought are not its own, and at a province's registry they are thousands),
on its name and its number as the department gave them; a birth
date or sex read off the same number is not added (it would count the same digits twice), so a record with no
number at all has only its name, which is never enough. A department may list a person on several rows (one per
month of contributions): each row is matched on its own, and a row with two candidates above the threshold
(twins, namesakes) is left unmatched."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from django.db.models import Count, Q

from doudi.core.crypto import blind_index
from doudi.matching.features import name_plain
from doudi.matching.linking import MatchSettings, match
from doudi.registry.models import Membership, Person

from .ids import ID_15, ID_CHECKSUM, ID_MISSING
from .models import DatasetLoad, DatasetRecord, MatchMethod

CHUNK = 900  # ids per IN (…): under SQLite's variable limit
FUZZY_THRESHOLD = 0.99  # a department's record is only taken for a registry person when nearly certain


def places_by_index(indexes: list[str], prefix: str) -> dict[str, tuple[int, int, str]]:
    """ID-number blind index → (person, current household, its village) for the people inside ``prefix``."""
    found: dict[str, int] = {}
    for i in range(0, len(indexes), CHUNK):
        found.update(Person.objects.filter(id_index__in=indexes[i : i + CHUNK]).values_list("id_index", "id"))
    where = _current_places(list(found.values()), prefix)
    return {index: (pid, *where[pid]) for index, pid in found.items() if pid in where}


def records_match(records: list[DatasetRecord], prefix: str) -> int:
    """Set the match of each record (before it is saved): exactly on its ID number, the old 15-digit form
    converted; a person outside the loader's area (or with no current household) is not matched."""
    usable = [r for r in records if r.id_number and r.id_note not in (ID_CHECKSUM, ID_MISSING)]
    index_of = {r.id_number: blind_index(r.id_number, domain="id_number") for r in usable}
    places = places_by_index(list(set(index_of.values())), prefix)
    matched = 0
    for r in usable:
        place = places.get(index_of[r.id_number])
        if place:
            r.person_id, r.household_id, r.area_code = place
            r.match_method = MatchMethod.ID15 if r.id_note == ID_15 else MatchMethod.ID
            matched += 1
    return matched


def _birth_date(number: str | None):
    """The birth date digits 7–14 of an 18-character number carry, when they make a date (a candidate filter)."""
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])) if number else None
    except ValueError:
        return None


def _candidates(pending: list[DatasetRecord], prefix: str) -> tuple[pd.DataFrame, dict[int, tuple[int, str]]]:
    """The area's current people who share a pending record's name or its number's birth date, as the engine's
    records, and where each lives now (person → household, village code), read in the same query."""
    rows = set()
    for i in range(0, len(pending), CHUNK // 2):
        part = pending[i : i + CHUNK // 2]
        names = {r.name for r in part if r.name}
        dates = {d for d in (_birth_date(r.id_number) for r in part) if d}
        rows.update(
            Membership.objects.filter(
                Q(person__name__in=names) | Q(person__birth_date__in=dates),
                end_date__isnull=True,
                household__area__code__startswith=prefix,
            ).values_list(
                "person_id",
                "person__name",
                "person__id_number",
                "person__birth_date",
                "person__sex",
                "household_id",
                "household__area__code",
            )
        )
    people = pd.DataFrame(
        [(str(p), n, i, b.isoformat() if b else None, s) for p, n, i, b, s, _h, _a in sorted(rows)],
        columns=["record_id", "name", "id_number", "birth_date", "sex"],
    )
    return people, {p: (h, a) for p, _n, _i, _b, _s, h, a in rows}


def _name_frequencies(names: list[str], prefix: str, population: int) -> pd.DataFrame:
    """Each name's share of the area's current people (Splink's term frequency for the name comparison), keyed by
    the name as the engine compares it (``name_plain``)."""
    people = Membership.objects.filter(end_date__isnull=True, household__area__code__startswith=prefix)
    counts: dict[str, int] = {}
    for i in range(0, len(names), CHUNK):
        for name, n in (
            people.filter(person__name__in=names[i : i + CHUNK])
            .values("person__name")
            .annotate(n=Count("person_id", distinct=True))
            .values_list("person__name", "n")
        ):
            if plain := name_plain(name):
                counts[plain] = counts.get(plain, 0) + n
    return pd.DataFrame({"name": list(counts), "tf_name": [n / max(population, 1) for n in counts.values()]})


def _exact_names(pending: list[DatasetRecord], candidates: pd.DataFrame) -> list[str]:
    """The candidates' names a pending record bears too: the only names whose frequency a pair uses (the model
    adjusts only an exact name for how common it is), not the thousands its birth date brought in."""
    wanted = {name_plain(r.name) for r in pending} - {None}
    return sorted(n for n in set(candidates["name"]) if name_plain(n) in wanted)


FUZZY_BATCH = 200  # pending records scored together, each against its own candidates
# a record's own candidates, as gathered (``_candidates``): the same name, or born on the date its number's digits
# 7–14 carry
OWN_CANDIDATES = ("l.name = r.name", "substr(l.id17, 7, 8) = replace(r.birth_date, '-', '')")


def fuzzy_match(load: DatasetLoad, prefix: str) -> int:
    """Match the saved records with no usable ID number probabilistically, a batch at a time; each taken record
    keeps its probability and reasons. Returns how many were taken."""
    pending = list(DatasetRecord.objects.filter(load=load, person__isnull=True, id_note__in=[ID_CHECKSUM, ID_MISSING]))
    if not pending:
        return 0
    population = Membership.objects.filter(end_date__isnull=True, household__area__code__startswith=prefix).count()
    taken = []
    for i in range(0, len(pending), FUZZY_BATCH):
        taken += _fuzzy_batch(pending[i : i + FUZZY_BATCH], prefix, population)
    DatasetRecord.objects.bulk_update(
        taken, ["person", "household", "area_code", "match_method", "match_probability", "match_reasons"]
    )
    return len(taken)


def _fuzzy_batch(pending: list[DatasetRecord], prefix: str, population: int) -> list[DatasetRecord]:
    right, places = _candidates(pending, prefix)
    if right.empty:
        return []
    left = pd.DataFrame([(str(r.pk), r.name, r.id_number) for r in pending], columns=["record_id", "name", "id_number"])
    settings = MatchSettings(
        threshold=FUZZY_THRESHOLD,
        term_frequencies={"name": _name_frequencies(_exact_names(pending, right), prefix, population)},
        prior=0.5 / max(population, 1),
        blocking=OWN_CANDIDATES,
        one_to_one=False,
    )
    found: dict[int, list] = {}
    for pair in match(left, right, settings):
        found.setdefault(int(pair.left_id), []).append(pair)
    sure = {record: pairs[0] for record, pairs in found.items() if len(pairs) == 1}
    taken = []
    for r in pending:
        pair = sure.get(r.pk)
        place = pair and places.get(int(pair.right_id))
        if place:
            r.person_id, (r.household_id, r.area_code) = int(pair.right_id), place
            r.match_method, r.match_probability = MatchMethod.FUZZY, round(pair.probability, 6)
            r.match_reasons = [reason.as_keys() for reason in pair.reasons]
            taken.append(r)
    return taken


def _current_places(person_ids: list[int], prefix: str) -> dict[int, tuple[int, str]]:
    """person id → (current household id, its village code), for people whose household lies in ``prefix``."""
    out = {}
    for i in range(0, len(person_ids), CHUNK):
        rows = Membership.objects.filter(
            person_id__in=person_ids[i : i + CHUNK],
            end_date__isnull=True,
            household__area__code__startswith=prefix,
        ).values_list("person_id", "household_id", "household__area__code")
        out.update({p: (h, a) for p, h, a in rows})
    return out
