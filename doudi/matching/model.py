"""The matching model: what is compared (Splink comparisons written for Chinese names and ID numbers), how
records are blocked, and the trained parameters, kept in a JSON file (Splink's own model format).

Comparison levels, most specific first (Splink takes the first that holds):

- 姓名: same characters (the weight adjusted by how common the name is: a match on 王伟 counts for less than
  one on 欧阳紫嫣) → same toneless pinyin (a homophone) → the same characters in another order → one
  character different → otherwise.
- 身份证号: the same 18-character number → the same person's old 15-digit and new 18-character numbers →
  the first 17 equal (the check character was mistyped) → two correct numbers that differ (two people: twins
  differ exactly here, in the sequence digits) → one digit different in the first 17 (a typing error; an
  error always breaks the check character) → otherwise.
- 出生日期: same date → one digit different → otherwise. 性别: same → different. 住址: same → at most three
  characters different → otherwise.

The SQL is written in the part of SQL that DuckDB and Spark share, so the same model runs on both engines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from doudi.core.errors import ApplicationError

DEFAULT_MODEL_PATH = Path(__file__).with_name("model.json")


@dataclass(frozen=True)
class Level:
    key: str
    label: str  # Chinese msgid, shown to the caseworker
    sql: str
    null: bool = False
    tf_column: str | None = None
    fixed_m: float | None = None  # an m set by the rule, not estimated


@dataclass(frozen=True)
class Comparison:
    column: str
    title: str
    levels: tuple[Level, ...]


def _null(*columns: str) -> Level:
    sql = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in columns)
    return Level("null", _("一方缺失"), sql, null=True)


COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "name",
        _("姓名"),
        (
            _null("name"),
            Level("exact", _("姓名相同"), "name_l = name_r", tf_column="name"),
            Level("pinyin", _("读音相同（同音字）"), "name_py_l = name_py_r"),
            Level("swapped", _("字相同、顺序不同"), "name_sorted_l = name_sorted_r"),
            Level("one_char", _("相差一个字"), "levenshtein(name_l, name_r) <= 1"),
            Level("else", _("姓名不同"), "ELSE"),
        ),
    ),
    Comparison(
        "id",
        _("身份证号"),
        (
            _null("id18"),
            Level("exact", _("身份证号相同"), "id18_l = id18_r AND id_form_l = id_form_r"),
            Level("old_new", _("15位旧号与18位新号对应"), "id18_l = id18_r"),
            Level("first17", _("前17位相同（校验位有误）"), "id17_l = id17_r"),
            # Fixed, not estimated: expectation maximisation takes twins (same birth date, address, surname, ID
            # prefix) for the same person and would learn that two correct numbers often differ within a
            # match. A single mistyped digit or check character always breaks the check (GB 11643's MOD 11-2
            # detects every single substitution and adjacent swap), so two numbers that both pass belong to two
            # people unless a clerk typed someone else's number whole: m = one in a million, about −20 bits.
            Level("both_valid", _("两个有效号码不同（不是同一人）"), "id_valid_l AND id_valid_r", fixed_m=1e-6),
            Level("one_digit", _("相差一位数字（录入错误）"), "levenshtein(id17_l, id17_r) = 1"),
            Level("else", _("身份证号不同"), "ELSE"),
        ),
    ),
    Comparison(
        "birth_date",
        _("出生日期"),
        (
            _null("birth_date"),
            Level("exact", _("出生日期相同"), "birth_date_l = birth_date_r"),
            Level("one_digit", _("出生日期相差一位数字"), "levenshtein(birth_date_l, birth_date_r) = 1"),
            Level("else", _("出生日期不同"), "ELSE"),
        ),
    ),
    Comparison(
        "sex",
        _("性别"),
        (
            _null("sex"),
            Level("exact", _("性别相同"), "sex_l = sex_r"),
            Level("else", _("性别不同"), "ELSE"),
        ),
    ),
    Comparison(
        "address",
        _("住址"),
        (
            _null("address"),
            Level("exact", _("住址相同"), "address_l = address_r"),
            Level("close", _("住址相近（相差不超过3个字）"), "levenshtein(address_l, address_r) <= 3"),
            Level("else", _("住址不同"), "ELSE"),
        ),
    ),
)

# Which pairs are compared at all. A pinyin name alone or a birth date alone would compare every 王伟 with
# every other (one person in thirty bears one of a dozen full names: 94 million pairs at a million records a
# side) and everyone born on a day with everyone else born that day, so each is paired with a second column:
# the ID's first 17; the pinyin name with the birth year, or with the address (when a birth date is missing);
# the birth date with the surname character (a given name mistyped, no ID). A pair found by several rules is
# compared once.
BLOCKING_RULES = (
    "l.id17 = r.id17",
    "l.name_py = r.name_py AND substr(l.birth_date, 1, 4) = substr(r.birth_date, 1, 4)",
    "l.name_py = r.name_py AND l.address = r.address",
    "l.birth_date = r.birth_date AND substr(l.name, 1, 1) = substr(r.name, 1, 1)",
)
# Expectation maximisation is run once per rule below; each leaves out of the estimate the comparisons whose
# columns its rule uses, so between them every comparison is estimated (name, birth date, sex and address in
# the first; ID, sex and address in the other two). They are the blocking rules, bounded like them: EM on the
# pinyin name alone would compare every 王伟 with every other.
TRAINING_RULES = (BLOCKING_RULES[0], BLOCKING_RULES[1], BLOCKING_RULES[3])
# for lists without ID numbers, where the first rule finds nothing: the name is estimated on the birth date,
# the birth date on the pinyin name and the address
FALLBACK_TRAINING_RULES = ("l.birth_date = r.birth_date", BLOCKING_RULES[2])


def comparison(column: str) -> Comparison:
    return next(c for c in COMPARISONS if c.column == column)


def splink_settings(*, prior: float = 1e-4) -> dict:
    """An untrained Splink settings dictionary (link two lists, never records within one list)."""
    comparisons = []
    for c in COMPARISONS:
        levels = []
        for lvl in c.levels:
            d = {"sql_condition": lvl.sql, "label_for_charts": f"{c.column}:{lvl.key}"}
            if lvl.null:
                d["is_null_level"] = True
            if lvl.fixed_m is not None:
                d["m_probability"] = lvl.fixed_m
                d["fix_m_probability"] = True
            if lvl.tf_column:
                d["tf_adjustment_column"] = lvl.tf_column
                d["tf_adjustment_weight"] = 1.0
            levels.append(d)
        comparisons.append(
            {"output_column_name": c.column, "comparison_description": c.column, "comparison_levels": levels}
        )
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": [{"blocking_rule": r} for r in BLOCKING_RULES],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
        "additional_columns_to_retain": [],
    }


def model_load(path: str | Path | None = None) -> dict:
    """A trained model from its JSON file (the packaged one without a path), checked against this version's
    comparisons so that a file from another version is refused rather than misread."""
    path = Path(path) if path else DEFAULT_MODEL_PATH
    try:
        model = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ApplicationError(
            f"无法读取匹配模型文件 {path}：{e}", f"Cannot read the matching model file {path}: {e}", field="model"
        ) from None
    expected = [[lvl["label_for_charts"] for lvl in c["comparison_levels"]] for c in splink_settings()["comparisons"]]
    found = [
        [lvl.get("label_for_charts") for lvl in c.get("comparison_levels", [])] for c in model.get("comparisons", [])
    ]
    if found != expected:
        raise ApplicationError(
            f"匹配模型文件 {path} 的比较项与本版本不符，请重新训练",
            f"The matching model file {path} does not have this version's comparisons; train it again",
            field="model",
        )
    return model


def model_save(model: dict, path: str | Path) -> None:
    Path(path).write_text(json.dumps(model, ensure_ascii=False, indent=2), encoding="utf-8")
