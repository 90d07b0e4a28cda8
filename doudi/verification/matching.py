"""Matching a load's records to the registry's people.

Exact here: on the resident ID number through its blind index (doudi/core/crypto.py), the old 15-digit form
converted to 18 characters first (ids.py), and only against people whose current household lies inside the
loader's area. A record with no usable ID number (missing, or a wrong check character) is left unmatched and
handed to the probabilistic engine (doudi.matching: ``match(left, right, settings) -> pairs``) through
``fuzzy_register``: that is the one place it plugs in. Until an engine is registered those records stay unmatched
and are counted on the load's page."""

from __future__ import annotations

from collections.abc import Callable

from doudi.core.crypto import blind_index
from doudi.registry.models import Membership, Person

from .ids import ID_15, ID_CHECKSUM, ID_MISSING
from .models import DatasetLoad, DatasetRecord, MatchMethod

CHUNK = 900  # ids per IN (…): under SQLite's variable limit

# the probabilistic engine: called with the load and its records that have no usable ID number; returns
# (record id, person id) pairs it is sure enough of. Registered by doudi.matching when it is installed.
_fuzzy: list[Callable[[DatasetLoad, list[DatasetRecord], str], list[tuple[int, int]]]] = []


def fuzzy_register(matcher) -> None:
    _fuzzy[:] = [matcher]


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


def fuzzy_match(load: DatasetLoad, prefix: str) -> int:
    """Hand the saved records with no usable ID number to the probabilistic engine, if one is registered."""
    if not _fuzzy:
        return 0
    pending = {r.pk: r for r in DatasetRecord.objects.filter(load=load, id_note__in=[ID_CHECKSUM, ID_MISSING])}
    matched = 0
    for record_id, person_id in _fuzzy[0](load, list(pending.values()), prefix):
        place = _current_places([person_id], prefix).get(person_id)
        if place and record_id in pending:
            r = pending[record_id]
            r.person_id, (r.household_id, r.area_code), r.match_method = person_id, place, MatchMethod.FUZZY
            r.save(update_fields=["person", "household", "area_code", "match_method"])
            matched += 1
    return matched


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
