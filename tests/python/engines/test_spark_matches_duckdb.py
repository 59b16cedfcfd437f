"""Every mart Spark built equals DuckDB's on the same test data.

Needs the DuckDB test warehouse (make test-dbt) and the Spark warehouse
(scripts/spark_build.sh), both from data/test/raw; `make test-spark` runs
them in order. Floats within compare.py's tolerance, all else exactly.
"""

from __future__ import annotations

import json
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


def incremental_models(manifest: Path) -> list[tuple[str, str]]:
    """(schema, table) of every model the target built as incremental."""
    nodes = json.loads(manifest.read_text())["nodes"].values()
    return sorted(
        (node["schema"], node["alias"])
        for node in nodes
        if node["resource_type"] == "model" and node["config"].get("materialized") == "incremental"
    )


def test_incremental_tables_equal_after_an_incremental_run(
    spark: spark_engine.SparkEngine, duckdb: duckdb_engine.DuckDBEngine
):
    """make test-spark re-runs the incremental models on the built warehouse
    (insert_overwrite of the month partitions the lookback reaches): each
    still equals DuckDB's table, so no partition was lost or doubled."""
    tables = incremental_models(SPARK_MANIFEST)
    assert ("intermediate", "int_connection_activity_daily") in tables
    run = json.loads((SPARK_MANIFEST.parent / "run_results.json").read_text())
    assert run["args"]["which"] == "run", "the last Spark command was not the incremental re-run"
    rerun = {result["unique_id"].split(".")[-1] for result in run["results"]}
    assert {table for _, table in tables} <= rerun
    assert all(result["status"] == "success" for result in run["results"])
    results = compare.compare_engines(duckdb, spark, tables)
    print("\n" + compare.report(results, "duckdb", "spark"))
    assert [result.table for result in results if not result.equal] == []
