"""``match(left, right, settings)``: the one call other modules use.

Records are mappings (or a pandas frame) with ``record_id, name, id_number, birth_date, sex, address``.
The result is one ``MatchPair`` per matched pair at or above the threshold, each with its probability and
the reasons a caseworker reads (which level of each comparison held, and its weight in bits).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
from django.utils.translation import gettext as _

from .engines import DuckDBEngine, Engine
from .exact import link_by_id
from .features import INPUT_COLUMNS, prepare
from .model import COMPARISONS, comparison, model_load, model_save


@dataclass(frozen=True)
class MatchSettings:
    """What a match run may change without retraining.

    ``threshold``: the lowest match probability reported (the command's --threshold). ``model_path``: a
    trained model file (the packaged one by default). ``expected_match_share``: the share of the shorter list
    expected to have a partner in the other (sets Splink's prior, the chance that two random records are the
    same person, to share × min(n, m) / (n × m), so a model trained on one size of list is right on another).
    ``one_to_one``: keep a pair only when each record is the other's best candidate (a person is one record in
    each list; twins and namesakes then cannot both take the same record). ``engine``: DuckDB unless given.
    ``term_frequencies``: how common each value of a column is in the whole population (``column`` and
    ``tf_column``, a share), for lists that are themselves a biased sample of it; counted in the two lists
    otherwise. ``prior``: the chance that a left record and a random right one are the same person, when the
    right list was gathered for the left ones (candidates sharing a name) and so cannot set it by its length:
    one in the size of the population it was drawn from. ``compare_all``: score every pair, not only those the
    blocking rules bring together (for a short list of candidates already gathered for the left records).
    ``blocking``: the rules that bring pairs together instead of the model's (Splink SQL on the feature columns,
    ``l.`` and ``r.``; a pair found by several is scored once), for candidates gathered for each left record by
    keys of its own: each is then scored against its own candidates, not every candidate of the list.
    """

    threshold: float = 0.9
    model_path: str | Path | None = None
    expected_match_share: float = 0.5
    one_to_one: bool = True
    engine: Engine | None = None
    term_frequencies: dict[str, pd.DataFrame] | None = None  # column → frame of (column, tf_column)
    prior: float | None = None
    compare_all: bool = False
    blocking: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Reason:
    comparison: str  # 姓名, 身份证号 …
    level: str  # 读音相同（同音字） …
    weight: float  # log2 of the Bayes factor: positive for, negative against
    column: str = ""  # the comparison's column and the level's key, to keep (``as_keys``) and show again
    key: str = ""

    def as_keys(self) -> dict:
        """What a database keeps: keys, not words, so the reason reads in the language of whoever looks."""
        return {"comparison": self.column, "level": self.key, "weight": round(self.weight, 2)}

    @classmethod
    def from_keys(cls, kept: Mapping) -> Reason:
        c = comparison(kept["comparison"])
        level = next(lvl for lvl in c.levels if lvl.key == kept["level"])
        return cls(str(c.title), str(level.label), float(kept["weight"]), c.column, level.key)

    def __str__(self) -> str:
        return _("%(comparison)s：%(level)s（%(weight)s）") % {
            "comparison": self.comparison,
            "level": self.level,
            "weight": f"{self.weight:+.1f}",
        }


@dataclass(frozen=True)
class MatchPair:
    left_id: str
    right_id: str
    probability: float
    match_weight: float
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    def explanation(self) -> str:
        """For a caseworker: '姓名：读音相同（同音字）（+9.2）；身份证号：…；匹配概率 99.8%'."""
        parts = _("；").join(str(r) for r in self.reasons)
        return _("%(reasons)s；匹配概率 %(probability)s") % {"reasons": parts, "probability": f"{self.probability:.1%}"}


def _frame(records: Iterable[Mapping] | pd.DataFrame) -> pd.DataFrame:
    frame = records if isinstance(records, pd.DataFrame) else pd.DataFrame(list(records), columns=INPUT_COLUMNS)
    for column in INPUT_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    frame = frame[INPUT_COLUMNS].astype(object).where(frame[INPUT_COLUMNS].notna(), None)
    frame["record_id"] = frame["record_id"].astype(str)
    return frame


def level_weights(model: dict) -> dict[str, list[tuple[float, object]]]:
    """Each comparison's levels with their weight (log2 m/u; 0 for the level where a value is missing)."""
    by_column = {c.column: c for c in COMPARISONS}
    weights = {}
    for c in model["comparisons"]:
        column = c["output_column_name"]
        entries = []
        for spec, level in zip(c["comparison_levels"], by_column[column].levels):
            m, u = spec.get("m_probability"), spec.get("u_probability")
            entries.append((0.0 if level.null or not m or not u else math.log2(m / u), level))
        weights[column] = entries
    return weights


def _reasons(row: Mapping, weights: dict) -> tuple[Reason, ...]:
    """Splink reports each comparison's weight (mw_*), not its level: the level is the one whose trained
    weight it is (the term-frequency adjustment of a common name is reported apart, in mw_tf_adj_name)."""
    reasons = []
    for c in COMPARISONS:
        weight = float(row[f"mw_{c.column}"])
        level = min(weights[c.column], key=lambda entry: abs(entry[0] - weight))[1]
        tf = row.get(f"mw_tf_adj_{c.column}")
        if tf is not None and not (isinstance(tf, float) and math.isnan(tf)):
            weight += float(tf)
        reasons.append(Reason(str(c.title), str(level.label), weight, c.column, level.key))
    return tuple(reasons)


def _best_only(pairs: pd.DataFrame) -> pd.DataFrame:
    """Keep a pair only when it is the best candidate of both its records (ties broken by record id)."""
    ordered = pairs.sort_values(["match_weight", "unique_id_l", "unique_id_r"], ascending=[False, True, True])
    best_l = ordered.drop_duplicates("unique_id_l")
    best_r = ordered.drop_duplicates("unique_id_r")
    keys = set(zip(best_l["unique_id_l"], best_l["unique_id_r"])) & set(
        zip(best_r["unique_id_l"], best_r["unique_id_r"])
    )
    return ordered[[k in keys for k in zip(ordered["unique_id_l"], ordered["unique_id_r"])]]


def scored_pairs(
    con: duckdb.DuckDBPyConnection, left: str, right: str, settings: MatchSettings, model: dict | None = None
) -> pd.DataFrame:
    """Predict on two feature tables already in ``con``; Splink's columns, one-to-one when asked."""
    model = model or model_load(settings.model_path)
    n_left, n_right = (con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in (left, right))
    if not n_left or not n_right:
        return pd.DataFrame(columns=["unique_id_l", "unique_id_r", "match_probability", "match_weight"])
    prior = settings.prior or min(0.999, settings.expected_match_share * min(n_left, n_right) / (n_left * n_right))
    engine = settings.engine or DuckDBEngine()
    model = {**model, "probability_two_random_records_match": prior}
    if settings.compare_all:
        model["blocking_rules_to_generate_predictions"] = [{"blocking_rule": "1=1"}]
    elif settings.blocking:
        model["blocking_rules_to_generate_predictions"] = [{"blocking_rule": rule} for rule in settings.blocking]
    pairs = engine.predict(
        con,
        left,
        right,
        model,
        settings.threshold,
        settings.term_frequencies,
    )
    if settings.one_to_one and len(pairs):
        pairs = _best_only(pairs)
    return pairs


def _load(con: duckdb.DuckDBPyConnection, left, right) -> None:
    con.register("left_input", _frame(left))
    con.register("right_input", _frame(right))
    prepare(con, "left_input", "left_features")
    prepare(con, "right_input", "right_features")


def match(
    left: Iterable[Mapping] | pd.DataFrame,
    right: Iterable[Mapping] | pd.DataFrame,
    settings: MatchSettings | None = None,
) -> list[MatchPair]:
    """Pairs of records (one from each list) that are probably the same person, most probable first."""
    settings = settings or MatchSettings()
    model = model_load(settings.model_path)
    with duckdb.connect() as con:
        _load(con, left, right)
        pairs = scored_pairs(con, "left_features", "right_features", settings, model)
    weights = level_weights(model)
    return [
        MatchPair(
            left_id=str(row["unique_id_l"]),
            right_id=str(row["unique_id_r"]),
            probability=float(row["match_probability"]),
            match_weight=float(row["match_weight"]),
            reasons=_reasons(row, weights),
        )
        for row in pairs.sort_values(["match_probability", "unique_id_l"], ascending=[False, True]).to_dict("records")
    ]


def match_exact(
    left: Iterable[Mapping] | pd.DataFrame, right: Iterable[Mapping] | pd.DataFrame
) -> set[tuple[str, str]]:
    """Pairs whose ID numbers are the same number, the old 15-digit form converted (no other evidence used)."""
    with duckdb.connect() as con:
        con.register("left_input", _frame(left))
        con.register("right_input", _frame(right))
        link_by_id(con, "left_input", "right_input", "exact_pairs")
        return set(con.execute("SELECT left_id, right_id FROM exact_pairs").fetchall())


def train(left, right, *, path: str | Path | None = None, seed: int = 1, engine: Engine | None = None) -> dict:
    """Estimate the model's parameters from two lists (u from random pairs, m by expectation maximisation),
    saving it to ``path`` when given."""
    with duckdb.connect() as con:
        _load(con, left, right)
        model = (engine or DuckDBEngine()).train(con, "left_features", "right_features", seed=seed)
    if path:
        model_save(model, path)
    return model
