"""The documented JSON Schema accepts the documented examples, and each example evaluates."""

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from doudi.programmes.rules import evaluate
from doudi.programmes.rules.inputs import household_from_json

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCHEMA = json.loads((DOCS / "household.schema.json").read_text(encoding="utf-8"))
EXAMPLES = sorted((DOCS / "examples").glob("*.json"))


def test_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_matches_schema_and_evaluates(pack, path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(raw, SCHEMA)
    programme = "tekun" if "tekun" in path.name else "dibao"
    d = evaluate(programme, household_from_json(raw), dt.date(2015, 6, 1))
    assert d.eligible, d.reasons_ineligible


def test_schema_rejects_what_the_cli_rejects():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"hukou_type": "city", "members": [{"name": "x"}]}, SCHEMA)
