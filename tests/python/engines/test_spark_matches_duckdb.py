"""Every mart Spark built equals DuckDB's on the same test data.

Needs the DuckDB test warehouse (make test-dbt) and the Spark warehouse
(scripts/spark_build.sh), both from data/test/raw; `make test-spark` runs
them in order. Floats within compare.py's tolerance, all else exactly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from integration_adoption.engines import compare, duckdb_engine, spark_engine

ROOT = Path(__file__).resolve().parents[3]
SPARK_MANIFEST = ROOT / os.environ.get("IA_SPARK_MANIFEST", "target/spark/manifest.json")
DUCKDB = ROOT / os.environ.get("IA_TEST_DUCKDB", "warehouse/test.duckdb")


@pytest.fixture(scope="module")
def spark() -> Iterator[spark_engine.SparkEngine]:
    engine = spark_engine.open_engine()
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def duckdb() -> Iterator[duckdb_engine.DuckDBEngine]:
    engine = duckdb_engine.open_engine(DUCKDB)
    yield engine
    engine.close()


def test_every_mart_equal(spark: spark_engine.SparkEngine, duckdb: duckdb_engine.DuckDBEngine):
    marts = compare.marts_from_manifest(SPARK_MANIFEST)
    results = compare.compare_engines(duckdb, spark, marts)
    print("\n" + compare.report(results, "duckdb", "spark"))
    assert len(results) == len(marts) >= 10
    assert all(result.left_rows > 0 for result in results), "an empty mart proves nothing"
    assert [result.table for result in results if not result.equal] == []


def test_a_changed_value_is_seen(spark: spark_engine.SparkEngine):
    """The comparison can fail: one nudged float of a real mart is a difference."""
    frame = spark.read_table("marts", "fct_account_benchmarks")
    changed = frame.copy()
    column = "health_score"
    first = changed[column].first_valid_index()
    changed.loc[first, column] = changed.loc[first, column] + 1e-6
    result = compare.compare_frames("fct_account_benchmarks", frame, changed)
    assert not result.equal and result.differing_values == {column: 1}
    assert compare.compare_frames("same", frame, pd.DataFrame(frame)).equal
