"""Exact and probabilistic matching on planted cases: the errors department data has, and the people it must
not merge (namesakes with the commonest full names, twins)."""

import json

import pytest

from doudi.core.errors import ApplicationError
from doudi.matching import synthetic
from doudi.matching.ids import check_character
from doudi.matching.linking import MatchSettings, match, match_exact
from doudi.matching.model import DEFAULT_MODEL_PATH


def idn(area: str, birth: str, seq: int) -> str:
    first17 = f"{area}{birth.replace('-', '')}{seq:03d}"
    return first17 + check_character(first17)


def person(record_id, name, id_number, birth_date, sex, address):
    return dict(record_id=record_id, name=name, id_number=id_number, birth_date=birth_date, sex=sex, address=address)


WANG = idn("511425", "1960-03-15", 31)
ZHANG_B, ZHANG_C, ZHANG_D = (
    idn("511425", "1975-05-05", 11),
    idn("511425", "1982-11-20", 17),
    idn("511402", "1975-05-05", 93),
)
TWIN_BIG, TWIN_SMALL = idn("511425", "1990-07-07", 11), idn("511425", "1990-07-07", 13)
SHAN = idn("511425", "1950-01-01", 15)
LIU = idn("511421", "1968-09-30", 24)

REGISTRY = [
    person("L1", "王建国", WANG, "1960-03-15", "M", "汉阳镇新华村3组"),
    person("L2", "张伟", ZHANG_B, "1975-05-05", "M", "瑞峰镇红星村1组"),
    person("L3", "张伟", ZHANG_C, "1982-11-20", "M", "西龙镇石堰村5组"),
    person("L4", "张伟", ZHANG_D, "1975-05-05", "M", "高台镇光明村2组"),
    person("L5", "李大明", TWIN_BIG, "1990-07-07", "M", "汉阳镇团结村8组"),
    person("L6", "李小明", TWIN_SMALL, "1990-07-07", "M", "汉阳镇团结村8组"),
    person("L7", "单雄信", SHAN, "1950-01-01", "M", "白果乡和平村4组"),
    person("L8", "刘芳", LIU, "1968-09-30", "F", "南城镇建设村6组"),
]
DEPARTMENT = [
    person("R1", "王建囯", WANG, "1960-03-15", "M", "汉阳镇新华村3组"),  # a homophone
    person("R2", "张伟", "", "1982-11-20", "M", "西龙镇石堰村5组"),  # no ID: the namesake born that day
    person("R3", "张伟", ZHANG_B, "1975-05-05", "M", ""),  # not L4, born the same day with the same name
    person("R5", "李小明", TWIN_SMALL, "1990-07-07", "M", "汉阳镇团结村8组"),
    person("R6", "李大明", "", "1990-07-07", "M", "汉阳镇团结村8组"),  # the other twin, no ID
    person("R7", "单雄信", SHAN[:6] + SHAN[8:17], "", "M", "白果乡和平村4组"),  # the old 15-digit card
    person("R8", "刘芳", LIU[:9] + str((int(LIU[9]) + 1) % 10) + LIU[10:], "1968-09-30", "F", ""),  # a typing error
    person("R9", "王伟", idn("511425", "1971-02-02", 55), "1971-02-02", "M", "汉阳镇新华村3组"),  # a stranger
    person("R10", "刘芳", idn("511421", "1968-09-30", 26), "1968-09-30", "F", "南城镇建设村6组"),  # two valid IDs
]
EXPECTED = {("L1", "R1"), ("L3", "R2"), ("L2", "R3"), ("L6", "R5"), ("L5", "R6"), ("L7", "R7"), ("L8", "R8")}


@pytest.fixture(scope="module")
def background():
    """Other people of the county around the planted ones, as real lists have."""
    data = synthetic.generate(600, seed=99)
    return [{**r, "record_id": "bg" + r["record_id"]} for r in data.left], [
        {**r, "record_id": "bg" + r["record_id"]} for r in data.right
    ]


@pytest.fixture(scope="module")
def pairs(background):
    left, right = background
    return match(REGISTRY + left, DEPARTMENT + right, MatchSettings(threshold=0.9))


def test_planted_pairs_are_found_and_nothing_else(pairs):
    planted = {(p.left_id, p.right_id) for p in pairs if p.left_id in {r["record_id"] for r in REGISTRY}}
    planted |= {(p.left_id, p.right_id) for p in pairs if p.right_id in {r["record_id"] for r in DEPARTMENT}}
    assert planted == EXPECTED


def test_each_pair_says_why_in_chinese(pairs):
    by_right = {p.right_id: p for p in pairs}
    assert "姓名：读音相同（同音字）" in by_right["R1"].explanation()
    assert "身份证号：15位旧号与18位新号对应" in by_right["R7"].explanation()
    assert "身份证号：相差一位数字（录入错误）" in by_right["R8"].explanation()
    assert "身份证号：一方缺失" in by_right["R6"].explanation()
    assert "匹配概率" in by_right["R1"].explanation()
    for p in pairs:
        assert 0.9 <= p.probability <= 1
        assert [r.comparison for r in p.reasons] == ["姓名", "身份证号", "出生日期", "性别", "住址"]
    # the weights add up with the prior to the pair's match weight
    weight = by_right["R1"].match_weight - sum(r.weight for r in by_right["R1"].reasons)
    assert weight == pytest.approx(by_right["R7"].match_weight - sum(r.weight for r in by_right["R7"].reasons))


def test_twins_and_namesakes_stay_apart_even_without_best_only(background):
    """Without one-to-one, what separates twins is the evidence itself: two valid ID numbers that differ
    weigh against, and so does a different given name."""
    left, right = background
    pairs = match(REGISTRY + left, DEPARTMENT + right, MatchSettings(threshold=0.9, one_to_one=False))
    found = {(p.left_id, p.right_id) for p in pairs}
    assert ("L5", "R5") not in found and ("L4", "R3") not in found
    assert {("L6", "R5"), ("L2", "R3")} <= found


def test_the_threshold_is_the_lowest_probability_reported(background):
    left, right = background
    low = match(REGISTRY + left, DEPARTMENT + right, MatchSettings(threshold=0.5))
    high = match(REGISTRY + left, DEPARTMENT + right, MatchSettings(threshold=0.999999))
    assert all(p.probability >= 0.999999 for p in high)
    assert {(p.left_id, p.right_id) for p in high} < {(p.left_id, p.right_id) for p in low}


def test_exact_matching_finds_only_same_numbers():
    assert match_exact(REGISTRY, DEPARTMENT) == {("L1", "R1"), ("L2", "R3"), ("L6", "R5"), ("L7", "R7")}


def test_a_model_file_of_another_shape_is_refused(tmp_path):
    model = json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))
    model["comparisons"] = model["comparisons"][:-1]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    with pytest.raises(ApplicationError, match="比较项与本版本不符"):
        match(REGISTRY, DEPARTMENT, MatchSettings(model_path=path))
    with pytest.raises(ApplicationError, match="无法读取匹配模型文件"):
        match(REGISTRY, DEPARTMENT, MatchSettings(model_path=tmp_path / "none.json"))


def test_empty_lists_give_no_pairs():
    assert match([], DEPARTMENT) == [] and match(REGISTRY, []) == []
