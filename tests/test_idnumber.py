import datetime as dt

import pytest

from doudi.core.errors import ApplicationError
from doudi.core.idnumber import account_mask, id_crosscheck, id_make, id_mask, id_parse
from doudi.registry.validation import person_clean

VALID = "511425197503021236"  # built by id_make; check character computed by ISO 7064 MOD 11-2


def test_valid_number_gives_birth_date_and_sex():
    facts = id_parse(VALID)
    assert facts.birth_date == dt.date(1975, 3, 2)
    assert facts.sex == "M"  # 17th digit 3 is odd
    assert id_parse(id_make("511425", dt.date(2001, 1, 9), 2)).sex == "F"


def test_known_public_example_with_x_check_character():
    # stdnum's own doctest number, and a lower-case x is accepted as X.
    assert id_parse("360426199101010071").birth_date == dt.date(1991, 1, 1)
    x_number = next(
        id_make("511425", dt.date(1980, 1, d), 1)
        for d in range(1, 29)
        if id_make("511425", dt.date(1980, 1, d), 1).endswith("X")
    )
    assert id_parse(x_number.lower()).number == x_number


def test_person_born_before_the_address_code_existed_is_accepted():
    # 511425 (Qingshen) is in use from 2000; people born earlier were issued numbers with it.
    assert id_parse(id_make("511425", dt.date(1940, 5, 5), 7)).birth_date.year == 1940


@pytest.mark.parametrize(
    "number, code",
    [
        ("51142519750302123", "id_length"),
        ("5114251975030212361", "id_length"),
        ("511425197503021235", "id_checksum"),
        ("51142519750302A236", "id_format"),
        ("", "id_required"),
    ],
)
def test_invalid_numbers_are_refused_with_a_field_message(number, code):
    with pytest.raises(ApplicationError) as info:
        id_parse(number)
    assert info.value.code == code
    assert info.value.field == "id_number"
    assert "/" in info.value.message  # Chinese / English


def test_impossible_birth_date_and_unknown_address_are_refused():
    body = "51142519751340123"  # month 13
    from stdnum.cn import ric

    bad_date = body + ric.calc_check_digit(body + "0")
    with pytest.raises(ApplicationError) as info:
        id_parse(bad_date)
    assert info.value.code == "id_component"
    body = "99999919750302123"
    with pytest.raises(ApplicationError) as info:
        id_parse(body + ric.calc_check_digit(body + "0"))
    assert info.value.code == "id_component"


def test_future_birth_date_refused():
    number = id_make("511425", dt.date(2030, 1, 1), 1)
    with pytest.raises(ApplicationError) as info:
        id_parse(number, today=dt.date(2026, 11, 29))
    assert info.value.code == "id_future"


def test_typed_birth_date_must_match_the_number():
    facts = id_parse(VALID)
    id_crosscheck(facts, birth_date=dt.date(1975, 3, 2), sex="M")
    with pytest.raises(ApplicationError) as info:
        id_crosscheck(facts, birth_date=dt.date(1975, 3, 3), sex=None)
    assert info.value.field == "birth_date"
    assert "1975-03-02" in info.value.message
    with pytest.raises(ApplicationError) as info:
        person_clean({"name": "张三", "id_number": VALID, "sex": "F"})
    assert info.value.field == "sex"


def test_person_without_number_needs_birth_date_and_sex():
    with pytest.raises(ApplicationError) as info:
        person_clean({"name": "婴儿", "sex": "F"})
    assert info.value.field == "birth_date"
    out = person_clean({"name": "婴儿", "birth_date": "2026-10-01", "sex": "F"})
    assert out["id_number"] is None and out["birth_date"] == dt.date(2026, 10, 1)


def test_masks():
    assert id_mask(VALID) == "511425********1236"
    assert account_mask("6217000011112222333") == "***************2333"
