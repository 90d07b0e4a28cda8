"""The programme shape (docs/policy.md, "Adding a programme"): every programme has its rules, its parameter
schema, its procedure as data and its demo-pack versions, and the case engine reads the procedure."""

import ast
import datetime as dt
from dataclasses import fields
from pathlib import Path

import pytest

from doudi.cases import workflow as wf
from doudi.programmes.pack import DEMO_PACK
from doudi.programmes.params import SPECS, params_parse
from doudi.programmes.rules import RULES
from doudi.programmes.rules.inputs import Member
from doudi.programmes.shapes import CASE_PROGRAMMES, SHAPES


def test_every_shape_has_rules_and_every_rule_a_shape():
    assert set(RULES) == set(SHAPES) == set(SPECS)


@pytest.mark.parametrize("code", list(SHAPES))
def test_shape_is_whole(code):
    shape = SHAPES[code]
    assert shape.code == code and shape.name_zh and shape.name_en
    assert shape.payment in ("monthly", "once")
    assert shape.procedure.steps, "a procedure has steps"
    assert all(step.who and step.zh and step.en for step in shape.procedure.steps)
    assert set(shape.reads) <= set(SHAPES) and code not in shape.reads
    assert len({s.name for s in shape.specs}) == len(shape.specs), "parameter names are unique"
    assert shape.pack, "the demo pack has a version"
    for version in shape.pack:
        dt.date.fromisoformat(version["effective_from"])
        params_parse(code, version["values"])  # every demo value passes its own schema


def test_demo_pack_is_built_from_the_shapes():
    assert [p["code"] for p in DEMO_PACK["programmes"]] == list(SHAPES)
    assert len(DEMO_PACK["versions"]) == sum(len(s.pack) for s in SHAPES.values())


def test_case_engine_reads_the_procedure_limits_unchanged_for_dibao_and_tekun():
    """The limits dibao and tekun had before the shape [D21 §12, §17, §21; T21 §11, §15]."""
    S = wf.CaseState
    assert wf.STEP_LIMITS["dibao"] == {S.ACCEPTED: 3, S.VERIFYING: 3, S.COUNTY_REVIEW: 10}
    assert wf.STEP_LIMITS["tekun"] == {S.ACCEPTED: 15, S.COUNTY_REVIEW: 15}
    assert set(CASE_PROGRAMMES) >= {"dibao", "tekun"}
    assert set(wf.NOTICE_PROGRAMMES) >= {"dibao", "tekun"}
    assert wf.notice_days("dibao") == wf.notice_days("tekun") == 7
    for code in CASE_PROGRAMMES:
        assert set(wf.STEP_LIMITS[code]) <= set(wf.STATES), "procedure steps name the case engine's states"


# The shared engine: the case procedure, its decision and enrolment, the payroll and its checks. What differs by
# programme is read from the shape (unit, procedure, support_modes, flags_from_enrolments, exclusive_with,
# recipient_zh/en), so none of these modules names a programme (docs/policy.md, "Adding a programme").
SHARED = (
    "doudi/cases/workflow.py",
    "doudi/cases/moves.py",
    "doudi/cases/selectors.py",
    "doudi/cases/actions/procedure.py",
    "doudi/cases/actions/applications.py",
    "doudi/cases/actions/enrolments.py",
    "doudi/payments/generation.py",
    "doudi/payments/anomalies.py",
)
NOT_PROGRAMMES = {("doudi/cases/workflow.py", "medical")}  # the material 医疗证明 (medical records), not the programme


@pytest.mark.parametrize("path", SHARED)
def test_shared_code_names_no_programme(path):
    root = Path(__file__).resolve().parents[2]
    tree = ast.parse((root / path).read_text(encoding="utf-8"))
    named = sorted(
        {
            (node.lineno, node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in SHAPES and (path, node.value) not in NOT_PROGRAMMES
        }
    )
    assert not named, f"{path} names programmes (move it to the shape): {named}"


def test_what_shared_code_reads_from_the_shapes_is_consistent():
    member_fields = {f.name for f in fields(Member)}
    for code, shape in SHAPES.items():
        for other in shape.exclusive_with:
            assert other in SHAPES and code in SHAPES[other].exclusive_with, "exclusive both ways"
        for flag, programme in shape.flags_from_enrolments:
            assert flag in member_fields and programme in SHAPES
        assert shape.recipient_zh and shape.recipient_en
        assert not (shape.support_modes or shape.flags_from_enrolments) or shape.unit == "person"
    assert SHAPES["tekun"].flags_from_enrolments == (("orphan_allowance", "children"),)  # domain.md §5b
    assert SHAPES["dibao"].exclusive_with == ("tekun",) and SHAPES["tekun"].support_modes
