"""Training: the model is saved as JSON and reused with the same result; lists without ID numbers still train."""

import json

import pytest

from doudi.core.errors import ApplicationError
from doudi.matching import synthetic
from doudi.matching.linking import MatchSettings, match, train
from doudi.matching.model import model_load


@pytest.fixture(scope="module")
def data():
    return synthetic.generate(1500, seed=41)


def test_a_trained_model_is_saved_and_reused(tmp_path, data):
    path = tmp_path / "model.json"
    model = train(data.left, data.right, path=path, seed=3)
    saved = model_load(path)
    assert saved["comparisons"] == json.loads(json.dumps(model["comparisons"]))
    id_levels = {lvl["label_for_charts"]: lvl for lvl in saved["comparisons"][1]["comparison_levels"]}
    assert id_levels["id:both_valid"]["m_probability"] == 1e-6 and id_levels["id:both_valid"]["fix_m_probability"]
    assert all(
        lvl["m_probability"] >= 1e-3
        for c in saved["comparisons"]
        for lvl in c["comparison_levels"]
        if not lvl.get("is_null_level") and not lvl.get("fix_m_probability")
    )
    first = match(data.left, data.right, MatchSettings(model_path=path))
    again = match(data.left, data.right, MatchSettings(model_path=path))
    assert [(p.left_id, p.right_id, p.probability) for p in first] == [
        (p.left_id, p.right_id, p.probability) for p in again
    ]
    q = synthetic.quality({(p.left_id, p.right_id) for p in first}, data.truth)
    assert q["precision"] >= 0.99 and q["recall"] >= 0.97, q


def test_lists_without_id_numbers_still_train(data, tmp_path):
    left = [{**r, "id_number": None} for r in data.left]
    right = [{**r, "id_number": None} for r in data.right]
    model = train(left, right, path=tmp_path / "no-ids.json", seed=3)
    name, id_number, birth_date = (model["comparisons"][i]["comparison_levels"] for i in range(3))
    # the same name and the same birth date are common among true pairs: estimated, not left at a default
    assert name[1]["m_probability"] > 0.5 and birth_date[1]["m_probability"] > 0.8
    # the ID comparison is kept, weighing nothing (m = u on every level)
    assert all(lvl["m_probability"] == lvl["u_probability"] for lvl in id_number[1:])
    pairs = match(left, right, MatchSettings(model_path=tmp_path / "no-ids.json"))
    q = synthetic.quality({(p.left_id, p.right_id) for p in pairs}, data.truth)
    assert q["precision"] >= 0.99 and q["recall"] >= 0.9, q


def test_nothing_to_learn_from_is_refused():
    left = [{"record_id": "a", "name": "王伟", "birth_date": "1970-01-01"}]
    right = [{"record_id": "b", "name": "李娜", "birth_date": "1980-02-02"}]
    with pytest.raises(ApplicationError, match="无法训练匹配模型"):
        train(left, right)
