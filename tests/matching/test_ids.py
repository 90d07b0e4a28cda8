"""ID numbers as matching normalises them: in Python (stdnum) and in SQL (DuckDB), which must agree."""

import random

import duckdb
import pandas as pd
from stdnum.cn import ric

from doudi.matching.exact import id18_sql, id18_store, link_by_id, link_by_stored_id
from doudi.matching.features import prepare
from doudi.matching.ids import id_from_15, id_normalise

QINGSHEN_1980 = "511425198001010013"  # a valid 18-character number (the check character is 3)


def test_the_old_15_digit_number_becomes_the_18_character_one():
    assert ric.calc_check_digit(QINGSHEN_1980) == "3"  # (stdnum.is_valid also checks the address code's years)
    assert id_from_15("511425800101001") == QINGSHEN_1980
    n = id_normalise(" 511425800101001 ")
    assert (n.form, n.id18, n.id17, n.valid) == ("15", QINGSHEN_1980, QINGSHEN_1980[:17], False)


def test_valid_wrong_and_not_an_id():
    assert id_normalise(QINGSHEN_1980).valid
    wrong_check = id_normalise(QINGSHEN_1980[:17] + "4")
    assert (wrong_check.form, wrong_check.valid, wrong_check.id17) == ("18", False, QINGSHEN_1980[:17])
    assert id_normalise("51142519800101001x").id18 == "51142519800101001X"  # a lower-case x is raised
    bad_date = "511425198013010011"
    assert not id_normalise(bad_date[:17] + ric.calc_check_digit(bad_date)).valid
    for junk in ("", None, "5114251980", "ABC425198001010013"):
        assert id_normalise(junk).form is None and id_normalise(junk).id18 is None


def _random_ids(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        first17 = f"5114{rng.randrange(10, 99)}{rng.randrange(1930, 2020)}{rng.randrange(1, 13):02d}{rng.randrange(1, 32):02d}{rng.randrange(1000):03d}"
        number = first17 + ric.calc_check_digit(first17 + "0")
        kind = rng.randrange(5)
        if kind == 1:
            number = number[:17] + rng.choice("0123456789X")  # perhaps a wrong check character
        elif kind == 2:
            number = number[:6] + number[8:17]  # the 15-digit form
        elif kind == 3:
            i = rng.randrange(17)
            number = number[:i] + rng.choice("0123456789") + number[i + 1 :]  # perhaps a typing error
        elif kind == 4:
            number = number[: rng.randrange(19)]  # cut short
        out.append(number.lower() if rng.random() < 0.1 else number)
    return out


def test_the_sql_agrees_with_python_on_every_form():
    numbers = _random_ids(3000, seed=13)
    con = duckdb.connect()
    frame = pd.DataFrame({"record_id": range(len(numbers)), "id_number": numbers})
    for column in ("name", "birth_date", "sex", "address"):
        frame[column] = None
    con.register("src", frame)
    prepare(con, "src", "f")
    rows = con.execute(
        "SELECT unique_id, id_form, id17, id18, id_valid FROM f ORDER BY CAST(unique_id AS INTEGER)"
    ).fetchall()
    for number, (_, form, id17, id18, valid) in zip(numbers, rows, strict=True):
        expected = id_normalise(number)
        assert (form, id17, id18, valid) == (expected.form, expected.id17, expected.id18, expected.valid), number
    assert sum(1 for r in rows if r[4]) > 500 and sum(1 for r in rows if r[1] == "15") > 300


def test_exact_matching_sql_gives_the_same_18_character_number():
    numbers = _random_ids(2000, seed=29)
    con = duckdb.connect()
    con.register("src", pd.DataFrame({"n": numbers}))
    got = [row[0] for row in con.execute(f"SELECT {id18_sql('n')} FROM src").fetchall()]
    for number, id18 in zip(numbers, got, strict=True):
        expected = id_normalise(number)
        if expected.form:
            assert id18 == expected.id18, number
        else:
            assert id18 is None or len(id18) == 18, number  # not an ID number: never equal to one


def test_link_by_id_takes_every_form_of_the_same_number():
    con = duckdb.connect()
    con.execute("CREATE TABLE l(record_id VARCHAR, id_number VARCHAR)")
    con.execute("CREATE TABLE r(record_id VARCHAR, id_number VARCHAR)")
    x = "51142519800101001X"  # not a valid number, but the same one on both sides
    con.executemany(
        "INSERT INTO l VALUES (?, ?)", [("a", QINGSHEN_1980), ("b", x), ("c", None), ("d", "511425800101002")]
    )
    con.executemany(
        "INSERT INTO r VALUES (?, ?)",
        [
            ("1", "511425800101001"),  # the 15-digit form of a
            ("2", f" {QINGSHEN_1980} "),  # spaces around it
            ("3", x.lower()),  # a lower-case x
            ("4", None),
            ("5", QINGSHEN_1980[:17] + "4"),  # the check character wrong: not the same number
            ("6", "511425800101002"),  # the same 15 digits on both sides
            ("7", "not a number"),
        ],
    )
    assert link_by_id(con, "l", "r", "pairs") == 4
    assert set(con.execute("SELECT left_id, right_id FROM pairs").fetchall()) == {
        ("a", "1"),
        ("a", "2"),
        ("b", "3"),
        ("d", "6"),
    }


def test_the_number_stored_at_load_gives_the_same_pairs_with_a_plain_join():
    con = duckdb.connect()
    con.execute("CREATE TABLE l(record_id VARCHAR, id_number VARCHAR)")
    con.execute("CREATE TABLE r(record_id VARCHAR, id_number VARCHAR)")
    con.executemany("INSERT INTO l VALUES (?, ?)", [("a", QINGSHEN_1980), ("b", "511425800101002"), ("c", None)])
    con.executemany(
        "INSERT INTO r VALUES (?, ?)",
        [("1", "511425800101001"), ("2", f" {QINGSHEN_1980.lower()} "), ("3", "511425800101002"), ("4", "junk")],
    )
    link_by_id(con, "l", "r", "converted")
    id18_store(con, "l")
    id18_store(con, "r")
    assert con.execute("SELECT id18 FROM r WHERE record_id = '4'").fetchall() == [(None,)]
    assert link_by_stored_id(con, "l", "r", "stored") == 3
    assert set(con.execute("SELECT * FROM stored").fetchall()) == set(con.execute("SELECT * FROM converted").fetchall())
