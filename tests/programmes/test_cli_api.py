import json
import subprocess
import sys

import pytest
from django.core.management import call_command

from doudi.accounts.actions import token_create

from .conftest import household, person

WORKED = household(
    person("父", "1965-05-01", "head", incomes=[{"kind": "wage", "monthly": "500"}]),
    person("母", "1967-03-01", "spouse"),
    person("子", "1999-02-01", "child", student=True),
)


def test_cli_prints_the_contract(pack, capsys, tmp_path):
    path = tmp_path / "h.json"
    path.write_text(json.dumps(WORKED, ensure_ascii=False), encoding="utf-8")
    call_command("evaluate", "--programme", "dibao", "--household", str(path), "--on", "2015-06-01")
    d = json.loads(capsys.readouterr().out)
    assert set(d) >= {
        "programme",
        "eligible",
        "monthly_amount",
        "per_capita_income",
        "counted_members",
        "members",
        "explanation",
        "reasons_ineligible",
    }
    assert (d["programme"], d["eligible"], d["monthly_amount"], d["per_capita_income"]) == (
        "dibao",
        True,
        "120.00",
        "150.00",
    )


@pytest.mark.parametrize(
    "body, field",
    [
        ("{not json", "JSON"),
        ({"members": [{"name": "a", "birth_date": "1990-01-01"}]}, "hukou_type"),
        (household(person(birth="1990-13-01")), "members[0].birth_date"),
        (household(person(incomes=[{"kind": "salary", "monthly": "1"}])), "members[0].incomes[0].kind"),
        (household(person(incomes=[{"kind": "wage", "monthly": "-1"}])), "members[0].incomes[0].monthly"),
        (household(person(disability={"kind": "physical", "grade": 5})), "members[0].disability.grade"),
        (household(person(), assets={"vehicles": [{"value": "x"}]}), "assets.vehicles[0].value"),
        (household(person(id_number="511425197503021235")), "members[0].id_number"),
    ],
)
def test_cli_invalid_input_exits_2_naming_the_field(pack, capsys, tmp_path, body, field):
    path = tmp_path / "h.json"
    path.write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        call_command("evaluate", "--programme", "dibao", "--household", str(path), "--on", "2015-06-01")
    assert info.value.code == 2
    assert field in capsys.readouterr().err


def test_cli_as_a_real_process_exit_codes(tmp_path, transactional_db, pack, settings):
    """The installed `doudi evaluate` against a file database: 0 with JSON, 2 on bad input."""
    import os

    db = tmp_path / "cli.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DJANGO_SETTINGS_MODULE": "doudi.settings.base"}
    doudi = [sys.executable, "-m", "doudi"]
    subprocess.run([*doudi, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*doudi, "demo", "--households", "10", "--no-staff"], env=env, check=True, capture_output=True)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(WORKED), encoding="utf-8")
    r = subprocess.run(
        [*doudi, "evaluate", "--programme", "dibao", "--household", str(good), "--on", "2015-06-01"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0 and json.loads(r.stdout)["monthly_amount"] == "120.00"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"hukou_type": "city", "members": []}), encoding="utf-8")
    r = subprocess.run(
        [*doudi, "evaluate", "--programme", "tekun", "--household", str(bad)], env=env, capture_output=True, text=True
    )
    assert r.returncode == 2 and "hukou_type" in r.stderr


def test_api_evaluate(client, staff, pack):
    _t, key = token_create(actor=staff["caseworker_a"], name="t")
    r = client.post(
        "/api/v1/evaluate",
        data={"programme": "dibao", "on": "2015-06-01", "household": WORKED},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert r.status_code == 200 and r.json()["monthly_amount"] == "120.00"
    r = client.post(
        "/api/v1/evaluate",
        data={"programme": "dibao", "household": {"hukou_type": "x", "members": []}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert r.status_code == 400 and r.json()["field"] == "hukou_type"
