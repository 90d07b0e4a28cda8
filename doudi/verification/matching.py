"""Matching a load's records to the registry's people.

Exact here: on the resident ID number through its blind index (doudi/core/crypto.py), the old 15-digit form
converted to 18 characters first (ids.py), and only against people whose current household lies inside the
loader's area. A record with no usable ID number (missing, or a wrong check character) is left unmatched and
handed to the probabilistic engine (doudi.matching: ``match(left, right, settings) -> pairs``) through
``fuzzy_register``: that is the one place it plugs in. Until an engine is registered those records stay unmatched
and are counted on the load's page."""

from __future__ import annotations

from collections.abc import Callable

from doudi.registry.models import Membership, Person

from .ids import ID_15, ID_CHECKSUM, ID_MISSING
from .models import DatasetLoad, DatasetRecord, MatchMethod

CHUNK = 900  # ids per IN (…): under SQLite's variable limit

# the probabilistic engine: called with the load and its records that have no usable ID number; returns
# (record id, person id) pairs it is sure enough of. Registered by doudi.matching when it is installed.
_fuzzy: list[Callable[[DatasetLoad, list[DatasetRecord], str], list[tuple[int, int]]]] = []


def fuzzy_register(matcher) -> None:
    _fuzzy[:] = [matcher]


def records_match(load: DatasetLoad, prefix: str) -> int:
    """Match every record of ``load``; returns how many matched a person inside ``prefix``."""
    records = list(
        DatasetRecord.objects.filter(load=load)
        .exclude(id_note__in=[ID_CHECKSUM, ID_MISSING])
        .only("id", "id_index", "id_note")
    )
    by_index: dict[str, list[DatasetRecord]] = {}
    for r in records:
        by_index.setdefault(r.id_index, []).append(r)
    keys = list(by_index)
    found: dict[str, int] = {}
    for i in range(0, len(keys), CHUNK):
        found.update(Person.objects.filter(id_index__in=keys[i : i + CHUNK]).values_list("id_index", "id"))
    where = _current_places(list(found.values()), prefix)
    changed = []
    for index, person_id in found.items():
        if person_id not in where:
            continue  # a person outside the loader's area (or with no current household) is not matched here
        household_id, area_code = where[person_id]
        for r in by_index[index]:
            r.person_id, r.household_id, r.area_code = person_id, household_id, area_code
            r.match_method = MatchMethod.ID15 if r.id_note == ID_15 else MatchMethod.ID
            changed.append(r)
    if _fuzzy:
        pending = list(DatasetRecord.objects.filter(load=load, id_note__in=[ID_CHECKSUM, ID_MISSING]))
        for record_id, person_id in _fuzzy[0](load, pending, prefix):
            place = _current_places([person_id], prefix).get(person_id)
            if place:
                r = next(x for x in pending if x.pk == record_id)
                r.person_id, (r.household_id, r.area_code) = person_id, place
                r.match_method = MatchMethod.FUZZY
                changed.append(r)
    DatasetRecord.objects.bulk_update(changed, ["person", "household", "area_code", "match_method"], batch_size=1000)
    return len(changed)


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
