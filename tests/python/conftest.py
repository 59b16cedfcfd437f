"""Shared fixtures: small generator runs, and the test warehouse `make test` builds."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import duckdb
import pytest

from integration_adoption.generator.config import RunConfig
from integration_adoption.generator.run import generate

START, END = dt.date(2024, 1, 1), dt.date(2025, 6, 30)


def run(out: Path, accounts: int, chunk: int, workers: int = 1, messy: bool = False) -> Path:
    generate(
        RunConfig(
            out=out,
            seed=7,
            start_date=START,
            end_date=END,
            accounts=accounts,
            messy=messy,
            chunk_accounts=chunk,
            workers=workers,
            quiet=True,
        )
    )
    return out


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run(tmp_path_factory.mktemp("clean"), accounts=1500, chunk=500)


@pytest.fixture(scope="session")
def small_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six months of messy raw data for 150 accounts: small enough to build many times."""
    out = tmp_path_factory.mktemp("small_history")
    generate(
        RunConfig(
            out=out,
            seed=11,
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2025, 6, 30),
            accounts=150,
            messy=True,
            quiet=True,
        )
    )
    return out


@pytest.fixture(scope="session")
def messy_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run(tmp_path_factory.mktemp("messy"), accounts=600, chunk=250, workers=2, messy=True)


# ---------- the warehouse `make test` built from the messy test data
ROOT = Path(__file__).resolve().parents[2]
TEST_DATABASE = Path(os.environ.get("IA_TEST_DUCKDB", ROOT / "warehouse" / "test.duckdb"))
TEST_RAW = Path(os.environ.get("IA_TEST_RAW", ROOT / "data" / "test" / "raw"))


@pytest.fixture(scope="session")
def con() -> duckdb.DuckDBPyConnection:
    """Read-only connection to the test warehouse (built by `make test-dbt`)."""
    if not TEST_DATABASE.exists():
        pytest.fail(f"no warehouse at {TEST_DATABASE}: run `make test-dbt` first")
    connection = duckdb.connect(str(TEST_DATABASE), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def truth() -> dict[str, Any]:
    """The generator's ground truth for the test data."""
    path = TEST_RAW / "ground_truth.json"
    if not path.exists():
        pytest.fail(f"no ground truth at {path}: run `make test-data` first")
    return json.loads(path.read_text())


def scalar(con: duckdb.DuckDBPyConnection, query: str, *params: Any) -> Any:
    """The single value a query returns."""
    row = con.execute(query, list(params)).fetchone()
    assert row is not None
    return row[0]
