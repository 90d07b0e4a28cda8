"""Matching quality on the synthetic Chinese set (homophones, swapped characters, old, wrong and missing IDs,
common names, twins), seeded so that a regression fails here: precision ≥ 0.995 and recall ≥ 0.98 with the
packaged model, well above exact-ID matching alone (docs/benchmarks.md has the figures at a larger size)."""

import pytest

from doudi.matching import synthetic
from doudi.matching.linking import MatchSettings, match, match_exact


@pytest.mark.parametrize("seed", [5, 17])
def test_precision_and_recall_on_a_generated_set(seed):
    data = synthetic.generate(4000, seed=seed)
    pairs = {(p.left_id, p.right_id) for p in match(data.left, data.right, MatchSettings(threshold=0.9))}
    q = synthetic.quality(pairs, data.truth)
    assert q["precision"] >= 0.995, q
    assert q["recall"] >= 0.98, q
    exact = synthetic.quality(match_exact(data.left, data.right), data.truth)
    assert exact["recall"] < q["recall"] - 0.1, (exact, q)  # what probabilistic matching adds


def test_the_generated_set_has_what_it_promises():
    data = synthetic.generate(4000, seed=5)
    left = {r["record_id"]: r for r in data.left}
    right = {r["record_id"]: r for r in data.right}
    true_pairs = [(left[l], right[r]) for l, r in data.truth]
    assert sum(len(b["id_number"]) == 15 for _, b in true_pairs) > 50
    assert sum(b["id_number"] == "" for _, b in true_pairs) > 150
    assert sum(len(b["id_number"]) == 18 and b["id_number"] != a["id_number"] for a, b in true_pairs) > 80
    assert sum(a["name"] != b["name"] and sorted(a["name"]) == sorted(b["name"]) for a, b in true_pairs) > 20
    assert sum(a["name"] != b["name"] and len(a["name"]) == len(b["name"]) for a, b in true_pairs) > 250
    by_name: dict[str, int] = {}
    for r in data.left:
        by_name[r["name"]] = by_name.get(r["name"], 0) + 1
    assert by_name.get("王伟", 0) + by_name.get("张伟", 0) > 10
    # twins: same birth date, address and ID prefix (address code + birth date), different numbers
    prefixes: dict[tuple, int] = {}
    for r in data.left:
        key = (r["id_number"][:14], r["address"])
        prefixes[key] = prefixes.get(key, 0) + 1
    assert sum(1 for n in prefixes.values() if n >= 2) > 30
    # the same seed gives the same set
    again = synthetic.generate(4000, seed=5)
    assert again.left == data.left and again.right == data.right and again.truth == data.truth
