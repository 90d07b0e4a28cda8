"""Where the comparisons run: one interface, two implementations (Splink's DuckDB and Spark backends).

An engine takes two feature tables (``features.prepare``, held in a DuckDB connection), a model and a
probability threshold, and returns the scored pairs at or above it as a pandas frame with Splink's columns
(``unique_id_l``, ``unique_id_r``, ``match_probability``, ``match_weight``, and per comparison ``gamma_*``,
``bf_*`` and ``bf_tf_adj_*``), the left list's record always on the ``_l`` side. ``term_frequencies`` (column →
frame of ``column, tf_column``) replaces the frequencies Splink would count in the two lists: a short list of
candidates gathered by name says nothing of how common a name is in the county.

DuckDB runs on one machine (two cores do a million by a million in minutes, docs/benchmarks.md); Spark is
for a province whose data outgrows one machine: the same model file, the same SQL, the same pairs.
"""

from __future__ import annotations

import copy
import logging
import os
from typing import Protocol

import duckdb
import pandas as pd
from splink import Linker
from splink.backends.duckdb import DuckDBAPI
from splink.internals.exceptions import EMTrainingException

from doudi.core.errors import ApplicationError

from .model import FALLBACK_TRAINING_RULES, TRAINING_RULES, splink_settings

LEFT, RIGHT = "a_left", "b_right"  # dataset names; Splink puts the lower name on the _l side

logging.getLogger("splink").setLevel(logging.WARNING)


class Engine(Protocol):
    name: str

    def predict(
        self,
        con: duckdb.DuckDBPyConnection,
        left: str,
        right: str,
        model: dict,
        threshold: float,
        term_frequencies: dict[str, pd.DataFrame] | None = None,
    ) -> pd.DataFrame: ...

    def train(self, con: duckdb.DuckDBPyConnection, left: str, right: str, *, seed: int = 1) -> dict: ...


def _model_for_predict(model: dict) -> dict:
    """The model as Splink predicts with it (the prior is the caller's, already in ``model``)."""
    settings = copy.deepcopy(model)
    settings["retain_intermediate_calculation_columns"] = True
    settings["retain_matching_columns"] = False
    settings["link_type"] = "link_only"
    settings.pop("linker_uid", None)
    return settings


def _orient(pairs: pd.DataFrame) -> pd.DataFrame:
    """Put the left list's record on the _l side whatever order the backend returned the pair in."""
    if "source_dataset_l" in pairs.columns and len(pairs):
        flip = pairs["source_dataset_l"] != LEFT
        if flip.any():
            swapped = pairs.loc[flip].rename(
                columns=lambda c: c[:-2] + "_r" if c.endswith("_l") else (c[:-2] + "_l" if c.endswith("_r") else c)
            )
            pairs = pd.concat([pairs.loc[~flip], swapped[pairs.columns]], ignore_index=True)
    return pairs


M_FLOOR = 1e-3


def _train(linker: Linker, *, seed: int) -> dict:
    """u from random pairs, m by expectation maximisation once per training rule (``model.TRAINING_RULES``),
    each leaving out the comparisons its rule fixes.

    A rule that gives no pairs is passed over. Lists without ID numbers (FEBRL4) give none on the ID, the only
    rule that estimates name and birth date; two more passes, blocked on the birth date and on the pinyin name
    with the address, estimate them instead. An m below
    0.001 (a level never or almost never seen among true pairs, e.g. a birth date wholly different) is raised
    to 0.001, so that one disagreement weighs at most about ten bits against and cannot veto by itself a pair
    on which everything else agrees; fixed m (two valid ID numbers) are left as the rule sets them."""
    linker.training.estimate_u_using_random_sampling(max_pairs=2_000_000, seed=seed)
    trained = []
    for rule in TRAINING_RULES:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
            trained.append(rule)
        except EMTrainingException:
            continue  # no pair under this rule in these lists
    if TRAINING_RULES[0] not in trained:  # no ID numbers to block on: name and birth date are estimated apart
        for rule in FALLBACK_TRAINING_RULES:
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True
                )
                trained.append(rule)
            except EMTrainingException:
                continue
    if not trained:
        raise ApplicationError(
            "训练数据中没有可比较的记录对（身份证号、姓名读音与出生日期都无相同者），无法训练匹配模型",
            "No record pairs to learn from (no shared ID prefix, pinyin name or birth date): cannot train",
            field="left",
        )
    model = linker.misc.save_model_to_json()
    # Splink leaves out of the saved model a comparison whose columns held nothing (no ID number anywhere in
    # FEBRL4): it is put back with m = u on every level, so the file keeps this version's shape and the
    # comparison weighs nothing either way (a model that never saw an ID number knows nothing about them).
    saved = {c["output_column_name"]: c for c in model["comparisons"]}
    comparisons = []
    for c in splink_settings()["comparisons"]:
        if c["output_column_name"] not in saved:
            levels = [lvl for lvl in c["comparison_levels"] if not lvl.get("is_null_level")]
            for lvl in levels:
                lvl.update(m_probability=1 / len(levels), u_probability=1 / len(levels), fix_m_probability=True)
        comparisons.append(saved.get(c["output_column_name"], c))
    model["comparisons"] = comparisons
    for c in model["comparisons"]:
        for level in c["comparison_levels"]:
            if level.get("is_null_level") or level.get("fix_m_probability"):
                continue
            if (level.get("m_probability") or 0) < M_FLOOR:
                level["m_probability"] = M_FLOOR
    return model


class DuckDBEngine:
    """Splink on DuckDB, in the same connection as the feature tables (nothing is copied)."""

    name = "duckdb"

    def _linker(self, con, left: str, right: str, settings: dict) -> tuple[Linker, DuckDBAPI]:
        db_api = DuckDBAPI(connection=con)
        frames = [
            db_api.register(left, dataset_display_name=LEFT, table_name=None),
            db_api.register(right, dataset_display_name=RIGHT, table_name=None),
        ]
        return Linker(frames, settings, log_level=None), db_api

    def predict(self, con, left, right, model, threshold, term_frequencies=None):
        linker, db_api = self._linker(con, left, right, _model_for_predict(model))
        for column, table in (term_frequencies or {}).items():
            tf = db_api.register(table, table_name=f"tf_lookup_{column}")
            linker.table_management.register_term_frequency_lookup(tf, column)
        return _orient(linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe())

    def train(self, con, left, right, *, seed=1):
        linker, _ = self._linker(con, left, right, splink_settings())
        return _train(linker, seed=seed)


class SparkEngine:
    """Splink on Spark. The feature tables are computed by DuckDB and handed to Spark; ``spark`` is a
    session the caller owns (a test uses local[1] with few shuffle partitions, a province its cluster)."""

    name = "spark"

    def __init__(self, spark):
        self.spark = spark

    def _linker(self, con, left, right, settings):
        from splink.backends.spark import SparkAPI  # noqa: PLC0415  (pyspark is optional: only this engine needs it)

        db_api = SparkAPI(spark_session=self.spark, break_lineage_method="persist", register_udfs_automatically=False)
        frames = [
            db_api.register(
                self.spark.createDataFrame(con.execute(f"SELECT * FROM {t}").df()), dataset_display_name=name
            )
            for t, name in ((left, LEFT), (right, RIGHT))
        ]
        return Linker(frames, settings, log_level=None), db_api

    def predict(self, con, left, right, model, threshold, term_frequencies=None):
        linker, db_api = self._linker(con, left, right, _model_for_predict(model))
        for column, table in (term_frequencies or {}).items():
            tf = db_api.register(self.spark.createDataFrame(table), table_name=f"tf_lookup_{column}")
            linker.table_management.register_term_frequency_lookup(tf, column)
        return _orient(linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe())

    def train(self, con, left, right, *, seed=1):
        linker, _ = self._linker(con, left, right, splink_settings())
        return _train(linker, seed=seed)


def spark_available() -> str | None:
    """None when the Spark engine can run here, else why not (for a test's skip reason)."""
    try:
        import pyspark  # noqa: F401, PLC0415
    except ImportError:
        return "pyspark is not installed"
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and os.path.exists(os.path.join(java_home, "bin", "java"))) and not any(
        os.access(os.path.join(p, "java"), os.X_OK) for p in os.environ.get("PATH", "").split(os.pathsep)
    ):
        return "no Java runtime (java not on PATH and JAVA_HOME unset)"
    return None
