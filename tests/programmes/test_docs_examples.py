"""The documented JSON Schema accepts the documented examples, and each example evaluates."""

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from doudi.core.errors import ApplicationError
from doudi.programmes.rules import evaluate
from doudi.programmes.rules.inputs import household_from_json
from doudi.programmes.shapes import SHAPES

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCHEMA = json.loads((DOCS / "household.schema.json").read_text(encoding="utf-8"))
EXAMPLES = sorted((DOCS / "examples").glob("*.json"))


def test_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


# Each example's programme is its file name's first word; the date it is evaluated on, and what it must give
# (worked by hand from domain.md §4–§5d).
ON = {
    "elderly": dt.date(2016, 12, 1),
    "disability": dt.date(2016, 6, 1),
    "funeral": dt.date(2016, 2, 20),
    "veterans": dt.date(2026, 9, 1),
}
EXPECTED = {
    # 1400 − 1000 = 400 ≤ 2 × 230: the township approves, paid first
    "temporary-fire.json": {"amount": "400.00", "approval_level": "township", "fast_track": True},
    # hukou outside the county, an emergency here: 400 ≤ 2 × 230, the township approves, paid first
    "temporary-migrant-fire.json": {"amount": "400.00", "approval_level": "township", "fast_track": True},
    # (2600 − 200) ÷ 2 = 1200 < 2100; 50% × (6000 − 2500) = 1750 > 2 × 400
    "temporary-expenditure.json": {"amount": "1750.00", "approval_level": "county", "fast_track": False},
    # deductible 1500 − 600 used = 900; (3200 − 900) × 60% = 1380, serious-disease cap 30000
    "medical-edge-family.json": {"amount": "1380.00", "deductible_applied": "900.00"},
    # December: 500 − 11 × 41.66 = 41.74 (aged 91) + 240 − 11 × 20 = 20.00 (turns 80 this month)
    "elderly-december.json": {"monthly_amount": "61.74"},
    # one parent in prison, the other out of contact 6 months or more: de facto unsupported, 600 a month
    "children-de-facto.json": {"monthly_amount": "600.00"},
    # grade 2: living 50 + care 50; grade 4: living 50
    "disability-dibao-household.json": {"monthly_amount": "150.00"},
    # 260 + 3 × 50 + 400 + 200 + 100 (+ 0 for other) = 1110
    "funeral-waiver.json": {"amount": "1110.00", "payee": "funeral_home"},
    # September 2026 (the table from 1 August 2026): grade 6 from war 3760 + martyr's family 2920; the son is in
    # prison until 30 September, so nothing for him this month
    "veterans-disabled-and-martyr-family.json": {"monthly_amount": "6680.00"},
}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_matches_schema_and_evaluates(pack, path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(raw, SCHEMA)
    programme = path.name.split("-")[0]
    d = evaluate(programme, household_from_json(raw), ON.get(programme, dt.date(2015, 6, 1)))
    assert d.eligible, d.reasons_ineligible
    out = d.as_dict()
    for key, value in EXPECTED.get(path.name, {}).items():
        assert out[key] == value, key


def test_every_programme_has_an_example():
    assert {p.name.split("-")[0] for p in EXAMPLES} >= set(SHAPES)


def test_schema_rejects_what_the_cli_rejects():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"hukou_type": "city", "members": [{"name": "x"}]}, SCHEMA)


@pytest.mark.parametrize(
    "raw",
    [
        {"hukou_type": "rural", "members": [{"name": "x", "birth_date": "1960-01-01"}], "hardship": {"kind": "fire"}},
        {
            "hukou_type": "rural",
            "members": [{"name": "x", "birth_date": "1960-01-01"}],
            "hardship": {"kind": "emergency", "cause": "火灾", "date": "2016-01-01"},
        },
        {
            "hukou_type": "rural",
            "members": [{"name": "x", "birth_date": "2010-01-01", "parents": [{"status": "lost_contact"}]}],
        },
        {
            "hukou_type": "rural",
            "members": [{"name": "x", "birth_date": "1960-01-01"}],
            "funeral": {"member": 0, "services": [{"kind": "cold_storage", "fee": "100"}]},
        },
        # veterans: a disabled serviceman needs his cause; illness has no grade 7–10; others have no cause
        {
            "hukou_type": "rural",
            "members": [{"name": "x", "birth_date": "1960-01-01", "veteran": {"category": "disabled", "grade": 3}}],
        },
        {
            "hukou_type": "rural",
            "members": [
                {
                    "name": "x",
                    "birth_date": "1960-01-01",
                    "veteran": {"category": "disabled", "grade": 8, "cause": "illness"},
                }
            ],
        },
        {
            "hukou_type": "rural",
            "members": [
                {"name": "x", "birth_date": "1960-01-01", "veteran": {"category": "martyr_family", "cause": "war"}}
            ],
        },
    ],
)
def test_schema_rejects_new_fields_the_cli_rejects(pack, raw):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(raw, SCHEMA)
    with pytest.raises(ApplicationError):
        household_from_json(raw)
