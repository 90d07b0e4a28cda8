"""Probabilistic matching of a department's records that have no usable ID number (issue 13): planted cases.

A wrong check character or a mistyped digit with the same name (or a homophone) is matched, keeping its
probability and reasons; a name alone, a name shared by two people, a different name, and a person outside the
loader's area are not."""

import pytest
from django.urls import reverse
from stdnum.cn import ric

from doudi.verification.generator import _headers, file_bytes
from doudi.verification.loads import dataset_load
from doudi.verification.matching import FUZZY_THRESHOLD
from doudi.verification.models import MatchMethod
from doudi.verification.schemas import KINDS

from ..conftest import member
from .conftest import AS_OF


def _wrong_check(number: str) -> str:
    """The same first 17 characters with another check character."""
    return number[:17] + ("0" if number[17] != "0" else "1")


def _one_digit(number: str) -> str:
    """One sequence digit mistyped, the original check character kept (so the check now fails)."""
    typo = number[:15] + str((int(number[15]) + 3) % 10) + number[16:]
    assert ric.calc_check_digit(typo) != typo[17]
    return typo


def _load(actor, rows):
    header = _headers(KINDS["death"])
    return dataset_load(
        actor=actor, kind="death", as_of=AS_OF, filename="d.csv", content=file_bytes(header, rows, "csv")
    )


@pytest.fixture
def households(register, staff):
    a = register(
        members=[
            member("张大山", "1960-03-02", 11, "head"),
            member("李秀英", "1972-06-15", 22, "spouse"),
            member("欧阳明", "1990-08-08", 35, "child"),
        ]
    )
    b = register(members=[member("王建国", "1958-01-20", 41, "head"), member("王芳", "1966-11-11", 52, "spouse")])
    twins = register(members=[member("刘强", "1980-05-05", 61, "head")])
    twins2 = register(members=[member("刘强", "1982-07-07", 63, "head")])
    elsewhere = register(
        actor=staff["caseworker_b"], area="511425102201", members=[member("赵敏", "1970-09-09", 71, "head")]
    )
    return {
        p.name + ("2" if h is twins2 else ""): p
        for h in (a, b, twins, twins2, elsewhere)
        for p in (m.person for m in h.memberships.select_related("person"))
    }


def test_wrong_or_mistyped_numbers_are_matched_with_reasons(centre, households):
    p = households
    rows = [
        [p["李秀英"].name, _wrong_check(p["李秀英"].id_number), "2026-03-01"],  # row 2: check character wrong
        ["李秀莹", _wrong_check(p["张大山"].id_number), "2026-03-01"],  # 3: a different person's number, other name
        ["欧阳铭", _one_digit(p["欧阳明"].id_number), "2026-03-01"],  # 4: homophone name and one digit wrong
        [p["王建国"].name, "", "2026-03-01"],  # 5: a name alone, however rare, is not enough
        ["刘强", "", "2026-03-01"],  # 6: two people bear the name
        [p["王芳"].name, _wrong_check(p["王芳"].id_number), "2026-03-01"],  # 7
    ]
    load = _load(centre["centre"], rows)
    by_row = {r.row: r for r in load.records.all()}

    spouse = by_row[2]
    assert spouse.person_id == p["李秀英"].pk and spouse.match_method == MatchMethod.FUZZY
    assert spouse.household_id == p["李秀英"].memberships.get().household_id
    assert spouse.match_probability >= FUZZY_THRESHOLD
    levels = {r["comparison"]: r["level"] for r in spouse.match_reasons}
    assert levels == {"name": "exact", "id": "first17", "birth_date": "null", "sex": "null", "address": "null"}
    assert {r["comparison"]: r["weight"] > 0 for r in spouse.match_reasons} == {
        "name": True,
        "id": True,
        "birth_date": False,
        "sex": False,
        "address": False,
    }

    assert by_row[3].person_id is None  # the head's number with another woman's name: not taken for him
    assert by_row[4].person_id == p["欧阳明"].pk
    assert {r["comparison"]: r["level"] for r in by_row[4].match_reasons}["id"] == "one_digit"
    assert {r["comparison"]: r["level"] for r in by_row[4].match_reasons}["name"] == "pinyin"
    assert by_row[5].person_id is None and by_row[5].match_reasons == []
    assert by_row[6].person_id is None
    assert by_row[7].person_id == p["王芳"].pk
    assert (load.matched, load.unmatched) == (3, 3)


def test_a_person_outside_the_loaders_area_is_not_matched(centre, households):
    """Township B's reviewer loads a record of someone living in township A: no candidate there."""
    p = households
    rows = [
        [p["李秀英"].name, _wrong_check(p["李秀英"].id_number), "2026-03-01"],
        [p["赵敏"].name, _wrong_check(p["赵敏"].id_number), "2026-03-01"],
    ]
    load = _load(centre["reviewer_b"], rows)
    by_row = {r.row: r for r in load.records.all()}
    assert by_row[2].person_id is None
    assert by_row[3].person_id == p["赵敏"].pk and by_row[3].area_code.startswith("511425102")


def _birth_day_typo(number: str) -> str:
    """The day of birth mistyped by one (still a date), the check character kept (so the check now fails)."""
    typo = number[:13] + str((int(number[13]) + 1) % 10) + number[14:]
    assert ric.calc_check_digit(typo) != typo[17]
    return typo


def test_a_records_match_does_not_depend_on_the_other_records_of_its_file(centre, households):
    """Each record is scored against its own candidates (its name, the birth date its number carries), not
    against the people another record of the same batch brought in: a record whose name and birth date both
    reach nobody stays unmatched whether or not a row beside it names the person."""
    p = households
    # a homophone (铭 for 明) and the day of birth mistyped: neither its name nor its date finds 欧阳明
    lone = ["欧阳铭", _birth_day_typo(p["欧阳明"].id_number), "2026-03-01"]
    alone = _load(centre["centre"], [lone]).records.get()
    # the same record beside a row naming 欧阳明 exactly (no number: a name alone is not enough)
    beside = {r.row: r for r in _load(centre["centre"], [lone, [p["欧阳明"].name, "", "2026-03-01"]]).records.all()}
    assert alone.person_id is None
    assert beside[2].person_id is None
    assert beside[3].person_id is None
    # and a record that does reach the person by its own keys is matched either way
    own = ["欧阳铭", _one_digit(p["欧阳明"].id_number), "2026-03-01"]
    assert _load(centre["centre"], [own]).records.get().person_id == p["欧阳明"].pk
    together = {r.row: r for r in _load(centre["centre"], [own, lone]).records.all()}
    assert together[2].person_id == p["欧阳明"].pk and together[3].person_id is None


def test_load_page_shows_the_reasons_in_the_readers_language(centre, households, client_for):
    p = households
    load = _load(centre["centre"], [[p["李秀英"].name, _wrong_check(p["李秀英"].id_number), "2026-03-01"]])
    client = client_for(centre["centre"])
    url = reverse("verification_load", args=[load.pk])
    page = client.get(url).content.decode()
    assert "概率匹配" in page and "前17位相同（校验位有误）" in page and "姓名相同" in page
    assert p["李秀英"].id_number not in page  # masked
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "校验位有误" not in english and "check character wrong" in english


def test_load_page_filters_by_how_records_were_matched(centre, households, client_for):
    p = households
    rows = [
        [p["李秀英"].name, _wrong_check(p["李秀英"].id_number), "2026-03-01"],
        [p["王芳"].name, p["王芳"].id_number, "2026-03-01"],
    ]
    load = _load(centre["centre"], rows)
    client = client_for(centre["centre"])
    url = reverse("verification_load", args=[load.pk])
    everything = client.get(url).content.decode()
    assert "概率匹配（1）" in everything and "身份证号一致（1）" in everything
    fuzzy = client.get(url + "?method=fuzzy").content.decode()
    assert p["李秀英"].name in fuzzy and p["王芳"].name not in fuzzy
    assert p["王芳"].name in client.get(url + "?method=bogus").content.decode()  # an unknown filter shows all
