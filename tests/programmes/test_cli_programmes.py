"""`doudi evaluate --programme temporary|medical|elderly|disability|children|funeral` and POST /api/v1/evaluate:
the contract of issue 15 (amounts as two-decimal strings, eligible, explanation, reasons_ineligible; exit 2 naming
the invalid field)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from doudi.accounts.actions import token_create

from .conftest import household, person

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

# (programme, example, --on, the fields that must be there, two of their values)
CASES = [
    (
        "temporary",
        "temporary-fire.json",
        "2016-03-02",
        {"amount": "400.00", "approval_level": "township", "fast_track": True},
    ),
    ("medical", "medical-edge-family.json", "2016-04-18", {"amount": "1380.00"}),
    ("elderly", "elderly-december.json", "2016-12-01", {"monthly_amount": "61.74"}),
    ("disability", "disability-dibao-household.json", "2016-06-01", {"monthly_amount": "150.00"}),
    ("children", "children-de-facto.json", "2015-06-01", {"monthly_amount": "600.00"}),
    ("funeral", "funeral-waiver.json", "2016-02-20", {"amount": "1110.00"}),
]


@pytest.mark.parametrize("programme,example,on,expected", CASES, ids=[c[0] for c in CASES])
def test_cli_prints_each_programmes_contract(pack, capsys, programme, example, on, expected):
    call_command("evaluate", "--programme", programme, "--household", str(EXAMPLES / example), "--on", on)
    d = json.loads(capsys.readouterr().out)
    assert {"programme", "eligible", "explanation", "reasons_ineligible", "members"} <= set(d)
    assert d["programme"] == programme and d["eligible"] is True
    for key, value in expected.items():
        assert d[key] == value
    for step in d["explanation"]:
        assert step["zh"] and step["en"]
    if "monthly_amount" in expected:
        assert all("amount" in m for m in d["members"])  # each member's amount


BAD = [
    ("temporary", household(person()), "hardship"),
    ("temporary", household(person(), hardship={"kind": "flood"}), "hardship.kind"),
    (
        "temporary",
        household(person(), hardship={"kind": "emergency", "cause": "", "date": "2016-01-01"}),
        "hardship.cause",
    ),
    (
        "temporary",
        household(person(), hardship={"kind": "emergency", "cause": "火灾", "date": "2016-01-01"}),
        "hardship.loss",
    ),
    (
        "temporary",
        household(
            person(), hardship={"kind": "expenditure", "cause": "病", "rigid_expenses": "1", "date": "2016-02-30"}
        ),
        "hardship.date",
    ),
    (
        "temporary",
        household(person(), hardship={"kind": "emergency", "cause": "火", "loss": "-5", "date": "2016-01-01"}),
        "hardship.loss",
    ),
    ("medical", household(person(), enrolled=["tekun"]), "enrolled[0]"),
    (
        "medical",
        household(person(), claim={"member": 1, "in_scope_out_of_pocket": "1", "date": "2016-01-01"}),
        "claim.member",
    ),
    (
        "medical",
        household(person(), claim={"member": 0, "in_scope_out_of_pocket": "1.005", "date": "2016-01-01"}),
        "claim.in_scope_out_of_pocket",
    ),
    ("medical", household(person()), "claim"),
    ("elderly", household(person(died_on="2016-1-1")), "members[0].died_on"),
    ("children", household(person(parents=[{"status": "abroad"}])), "members[0].parents[0].status"),
    ("children", household(person(parents=[{"status": "lost_contact"}])), "members[0].parents[0].since"),
    ("children", household(person(parents=[{"status": "dead"}] * 3)), "members[0].parents"),
    ("disability", household(person(in_institution="yes")), "members[0].in_institution"),
    ("funeral", household(person()), "funeral"),
    ("funeral", household(person(), funeral={"member": 0, "services": []}), "funeral.services"),
    (
        "funeral",
        household(person(), funeral={"member": 0, "services": [{"kind": "cold_storage", "fee": "10"}]}),
        "funeral.services[0].days",
    ),
    (
        "funeral",
        household(person(), funeral={"member": 0, "services": [{"kind": "flowers", "fee": "10"}]}),
        "funeral.services[0].kind",
    ),
]


@pytest.mark.parametrize("programme,body,field", BAD, ids=[f"{b[0]}-{b[2]}" for b in BAD])
def test_cli_invalid_input_exits_2_naming_the_field(pack, capsys, tmp_path, programme, body, field):
    path = tmp_path / "h.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        call_command("evaluate", "--programme", programme, "--household", str(path), "--on", "2016-06-01")
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"{field}：" in err or f"{field}: " in err, err


def test_api_evaluate_every_programme(client, staff, pack):
    _t, key = token_create(actor=staff["caseworker_a"], name="t")
    for programme, example, on, expected in CASES:
        raw = json.loads((EXAMPLES / example).read_text(encoding="utf-8"))
        r = client.post(
            "/api/v1/evaluate",
            data={"programme": programme, "on": on, "household": raw},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert r.status_code == 200, r.content
        body = r.json()
        for k, value in expected.items():
            assert body[k] == value, (programme, k)
    r = client.post(
        "/api/v1/evaluate",
        data={"programme": "funeral", "on": "2016-06-01", "household": household(person())},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert r.status_code == 400 and r.json()["field"] == "funeral"
