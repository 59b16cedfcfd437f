"""DuckDB: a mart reader over a warehouse file (read-only)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

NAME = "duckdb"
DEFAULT_DATABASE = Path("warehouse/test.duckdb")


class DuckDBEngine:
    name = NAME

    def __init__(self, database: Path) -> None:
        if not database.exists():
            raise FileNotFoundError(f"no DuckDB warehouse at {database}")
        self._connection = duckdb.connect(str(database), read_only=True)
        self._connection.execute("set TimeZone = 'UTC'")

    def read_table(self, schema: str, table: str) -> pd.DataFrame:
        cursor = self._connection.execute(f'select * from "{schema}"."{table}"')
        columns = [description[0] for description in cursor.description]
        return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)

    def close(self) -> None:
        self._connection.close()


def open_engine(database: Path | None = None) -> DuckDBEngine:
    """The warehouse `database`, else IA_DUCKDB_PATH, else the test warehouse."""
    path = database or Path(os.environ.get("IA_COMPARE_DUCKDB", DEFAULT_DATABASE))
    return DuckDBEngine(path)
