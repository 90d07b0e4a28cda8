"""doudi match: the CSV contract of issue 13 (header, formats, threshold) and exit 2 naming what is wrong."""

import csv
import io

import pytest
from django.core.management import call_command

from tests.matching.test_match import DEPARTMENT, REGISTRY

HEADER = ["record_id", "name", "id_number", "birth_date", "sex", "address"]


def write(path, rows, header=HEADER, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows([[r.get(c, "") for c in header] for r in rows])
    return str(path)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("match", *args, stdout=out, stderr=err)
    except SystemExit as e:
        return e.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_pairs_are_written_with_the_issue_header(tmp_path):
    left, right = write(tmp_path / "left.csv", REGISTRY), write(tmp_path / "right.csv", DEPARTMENT)
    code, out, err = run("--left", left, "--right", right, "--out", str(tmp_path / "pairs.csv"))
    assert code == 0, err
    assert "已匹配" in out
    with open(tmp_path / "pairs.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:3] == ["left_id", "right_id", "probability"]
    assert {("L1", "R1"), ("L7", "R7"), ("L2", "R3")} <= {(r["left_id"], r["right_id"]) for r in rows}
    assert all(float(r["probability"]) >= 0.9 for r in rows)
    assert any("同音字" in r["explanation"] for r in rows)


def test_threshold_and_english(tmp_path):
    left, right = write(tmp_path / "left.csv", REGISTRY), write(tmp_path / "right.csv", DEPARTMENT)
    code, _, err = run("--left", left, "--right", right, "--out", str(tmp_path / "p.csv"), "--threshold", "0.9999999")
    assert code == 0, err
    with open(tmp_path / "p.csv", encoding="utf-8") as f:
        assert all(float(r["probability"]) >= 0.9999999 for r in csv.DictReader(f))
    code, out, err = run("--left", left, "--right", right, "--out", str(tmp_path / "p.csv"), "--lang", "en")
    assert code == 0 and "Matched" in out
    with open(tmp_path / "p.csv", encoding="utf-8") as f:
        reasons = [r["explanation"] for r in csv.DictReader(f)]
    assert any("Name: same pronunciation (homophone)" in r for r in reasons) and all(
        "match probability" in r for r in reasons
    )
    code, _, err = run("--left", left, "--right", right, "--out", str(tmp_path / "p.csv"), "--threshold", "1.5")
    assert code == 2 and "--threshold" in err and "0 到 1" in err


@pytest.mark.parametrize(
    "rows, header, message",
    [
        (REGISTRY, [c for c in HEADER if c != "id_number"], "缺少列：id_number"),
        ([{**REGISTRY[0], "birth_date": "1960/03/15"}], HEADER, "第2行：birth_date 应为 YYYY-MM-DD"),
        ([REGISTRY[0], {**REGISTRY[1], "sex": "男"}], HEADER, "第3行：sex 应为 M 或 F"),
        ([REGISTRY[0], REGISTRY[0]], HEADER, "第3行：record_id L1 重复"),
        ([{**REGISTRY[0], "name": ""}], HEADER, "第2行：name 不能为空"),
    ],
)
def test_bad_input_exits_2_naming_it(tmp_path, rows, header, message):
    left = write(tmp_path / "left.csv", rows, header=header)
    right = write(tmp_path / "right.csv", DEPARTMENT)
    code, _, err = run("--left", left, "--right", right, "--out", str(tmp_path / "pairs.csv"))
    assert code == 2
    assert "--left" in err and "left.csv" in err and message in err
    assert not (tmp_path / "pairs.csv").exists()


def test_unreadable_files_exit_2_naming_them(tmp_path):
    left = write(tmp_path / "left.csv", REGISTRY)
    code, _, err = run("--left", left, "--right", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "p.csv"))
    assert code == 2 and "--right" in err and "missing.csv" in err and "无法读取文件" in err
    gbk = write(tmp_path / "gbk.csv", DEPARTMENT, encoding="gbk")
    code, _, err = run("--left", left, "--right", gbk, "--out", str(tmp_path / "p.csv"))
    assert code == 2 and "gbk.csv" in err and "UTF-8" in err
    code, _, err = run("--left", left, "--right", gbk, "--out", str(tmp_path / "p.csv"), "--lang", "en")
    assert code == 2 and "cannot read" in err
    code, _, err = run("--left", left, "--right", left, "--out", str(tmp_path / "no" / "such" / "dir.csv"))
    assert code == 2 and "--out" in err
