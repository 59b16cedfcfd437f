"""Read the tables to validate into pandas.

Marts come from the DuckDB warehouse through one short-lived read-only
connection (retried while a build holds the write lock, closed before any
validation starts), so the checkpoint never blocks a build for long. Raw tables
are read from their Parquet files as dbt-duckdb reads them (``read_parquet``
with ``union_by_name``), keeping DuckDB's types in pyarrow-backed columns so the
contract's types can be checked.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from integration_adoption.validation.marts import MART_SCHEMA

LOCK_RETRY_SECONDS = 0.5


class WarehouseUnavailableError(RuntimeError):
    """The warehouse file is missing or stayed locked past the timeout."""


def _connect_read_only(database: Path, timeout_seconds: float) -> duckdb.DuckDBPyConnection:
    if not database.exists():
        raise WarehouseUnavailableError(f"no warehouse at {database}: build it first")
    deadline = time.monotonic() + timeout_seconds
    while True:
        try:
            return duckdb.connect(str(database), read_only=True)
        except duckdb.IOException as error:
            # a writer (a dbt build) holds the file's lock: wait for it to finish
            if "lock" not in str(error).lower() or time.monotonic() >= deadline:
                raise WarehouseUnavailableError(f"cannot open {database}: {error}") from error
            time.sleep(LOCK_RETRY_SECONDS)


def read_marts(
    database: Path, tables: Sequence[str], timeout_seconds: float = 120.0
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The marts found in ``tables`` as DataFrames, and every relation of the marts schema."""
    with _connect_read_only(database, timeout_seconds) as con:
        present = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = ? "
                "order by table_name",
                [MART_SCHEMA],
            ).fetchall()
        ]
        frames = {
            table: con.sql(f'select * from "{MART_SCHEMA}"."{table}"').df()
            for table in tables
            if table in present
        }
    return frames, present


def raw_glob(raw_data_path: Path, table: str) -> Path:
    """Where a raw table's Parquet files are: ``<raw>/<table>/*.parquet``."""
    return raw_data_path / table / "*.parquet"


def read_raw(raw_data_path: Path, tables: Sequence[str]) -> dict[str, pd.DataFrame]:
    """The raw tables whose folder holds Parquet files, as DuckDB reads them."""
    frames: dict[str, pd.DataFrame] = {}
    with duckdb.connect() as con:
        for table in tables:
            pattern = raw_glob(raw_data_path, table)
            if not any(pattern.parent.glob(pattern.name)):
                continue
            arrow = con.sql(
                "select * from read_parquet(?, union_by_name = true)", params=[str(pattern)]
            ).to_arrow_table()
            frames[table] = arrow.to_pandas(types_mapper=pd.ArrowDtype)
    return frames
