"""The same match on Spark (Splink's Spark backend, local mode) gives the same pairs as on DuckDB.

Skipped, saying why, where pyspark or Java is missing; `make test` installs pyspark and the machines have
Debian's Java, so CI runs it. The session is kept small (one core, two shuffle partitions, no UI)."""

import pytest

from doudi.matching import synthetic
from doudi.matching.engines import SparkEngine, spark_available
from doudi.matching.linking import MatchSettings, match
from tests.matching.test_match import DEPARTMENT, REGISTRY

REASON = spark_available()
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"Spark engine not runnable here: {REASON}")


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("doudi-matching-test")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_gets_the_duckdb_pairs(spark):
    data = synthetic.generate(300, seed=3)
    left = REGISTRY + [{**r, "record_id": "bg" + r["record_id"]} for r in data.left]
    right = DEPARTMENT + [{**r, "record_id": "bg" + r["record_id"]} for r in data.right]
    on_duckdb = match(left, right, MatchSettings(threshold=0.9))
    on_spark = match(left, right, MatchSettings(threshold=0.9, engine=SparkEngine(spark)))
    pairs = {(p.left_id, p.right_id): p for p in on_duckdb}
    assert len(pairs) > 200
    assert {(p.left_id, p.right_id) for p in on_spark} == set(pairs)
    for p in on_spark:
        assert p.probability == pytest.approx(pairs[p.left_id, p.right_id].probability, abs=1e-9)
        assert [r.level for r in p.reasons] == [r.level for r in pairs[p.left_id, p.right_id].reasons]
