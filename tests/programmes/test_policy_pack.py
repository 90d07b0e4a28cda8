"""A county's own policy pack from a JSON file (`doudi load_policy_pack --file`): checked whole before anything is
saved, each refusal naming the item; a pack saved by an earlier release (veterans' pensions by grade alone) is read
as today's parameters, and the person loading it is told."""

import copy
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from doudi.programmes.models import ParameterVersion, VersionStatus
from doudi.programmes.pack import DEMO_PACK, pack_read
from doudi.programmes.shapes.veterans import legacy_values_upgrade

pytestmark = pytest.mark.django_db
COUNTY = "511425000000"


def veterans_2026() -> dict:
    return copy.deepcopy(
        next(v for v in DEMO_PACK["versions"] if v["programme"] == "veterans" and v["effective_from"] == "2026-08-01")
    )


def by_grade_alone(values: dict) -> dict:
    """The veterans' values as a release before causes wrote them: one ``disabled_<g>`` a grade (the duty column)."""
    out = {k: v for k, v in values.items() if not k.startswith("disabled_")}
    out.update({f"disabled_{g}": values[f"disabled_duty_{g}"] for g in range(1, 11)})
    return out


def load(tmp_path, pack) -> str:
    path = tmp_path / "pack.json"
    path.write_text(pack if isinstance(pack, str) else json.dumps(pack, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("load_policy_pack", "--county", COUNTY, "--file", str(path), stdout=out)
    return out.getvalue()


def test_old_names_fill_each_cause_of_their_grade_and_a_given_cause_is_kept():
    values, carried = legacy_values_upgrade({"disabled_3": "1000.00", "disabled_war_3": "1200.00", "disabled_8": "300"})
    assert values == {
        "disabled_war_3": "1200.00",  # given in the pack: kept
        "disabled_duty_3": "1000.00",
        "disabled_illness_3": "1000.00",
        "disabled_war_8": "300",  # illness pays grades 1–6 only
        "disabled_duty_8": "300",
    }
    assert carried == [
        ("disabled_3", ["disabled_duty_3", "disabled_illness_3"]),
        ("disabled_8", ["disabled_war_8", "disabled_duty_8"]),
    ]
    assert legacy_values_upgrade({"martyr_family": "2000"}) == ({"martyr_family": "2000"}, [])


def test_a_pack_saved_before_causes_loads_as_todays_table_and_says_so(areas, tmp_path):
    version = veterans_2026()
    today = version["values"]
    version["values"] = by_grade_alone(today)
    version["effective_from"] = "2027-08-01"
    out = load(tmp_path, {"programmes": DEMO_PACK["programmes"], "versions": [version]})
    assert "旧参数名 disabled_3 已按新参数 disabled_war_3、disabled_duty_3、disabled_illness_3 读入" in out
    assert "the old parameter disabled_9 was read as disabled_war_9, disabled_duty_9" in out
    assert "Loaded 1 parameter versions" in out
    stored = ParameterVersion.objects.get(programme_id="veterans", effective_from="2027-08-01")
    assert stored.status == VersionStatus.APPROVED
    for g in range(1, 11):
        assert Decimal(stored.values[f"disabled_war_{g}"]) == Decimal(today[f"disabled_duty_{g}"])
        assert Decimal(stored.values[f"disabled_duty_{g}"]) == Decimal(today[f"disabled_duty_{g}"])
    assert "disabled_illness_7" not in stored.values and "disabled_3" not in stored.values


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda p: p["versions"][1].update(effective_from="2026-13-01"), "versions[1].effective_from"),
        (lambda p: p["versions"][1].pop("values"), "versions[1].values"),
        (lambda p: p["versions"][0]["values"].update(standard_urban="-5"), "versions[0].values.standard_urban"),
        (lambda p: p["versions"][0]["values"].update(unheard_of=1), "versions[0].values.unheard_of"),
        (lambda p: p["versions"][1].update(programme="lottery"), "versions[1].programme"),
        (lambda p: p["programmes"][0].update(unit="person"), "programmes[0].unit"),
        (lambda p: p["programmes"][0].update(name_zh=""), "programmes[0].name_zh"),
        (lambda p: p.update(versions={"dibao": 1}), "versions"),
        (lambda p: p["versions"].append("2026"), "versions[2]"),
    ],
)
def test_a_bad_pack_is_refused_naming_the_item_and_nothing_is_saved(areas, tmp_path, change, named):
    pack = {"programmes": copy.deepcopy(DEMO_PACK["programmes"]), "versions": copy.deepcopy(DEMO_PACK["versions"][:2])}
    assert pack["versions"][0]["programme"] == "dibao"
    change(pack)
    with pytest.raises(CommandError) as refused:
        load(tmp_path, pack)
    assert named in refused.value.args[0]
    assert not ParameterVersion.objects.exists()  # the good first version was not saved either


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"versions": [\n  {"programme": "dibao",}\n]}', "不是有效的 JSON（第 2 行"),
        ("[1, 2]", "策略包应为 JSON 对象"),
    ],
)
def test_a_file_that_is_not_a_pack_is_refused_in_words(areas, tmp_path, text, said):
    with pytest.raises(CommandError, match=said.replace("(", r"\(").replace("（", "（")):
        load(tmp_path, text)


def test_the_demo_pack_reads_clean():
    contents = pack_read(DEMO_PACK)
    assert contents.notes == []
    assert len(contents.versions) == len(DEMO_PACK["versions"])
