"""A dbt-duckdb plugin (profiles.yml) that creates the warehouse file's folder.

DuckDB opens a database file only in an existing folder, so a plain ``dbt build``
on a fresh clone failed with "Cannot open file .../warehouse/integration_adoption.duckdb".
dbt-duckdb calls ``update_connection_config`` just before it opens the file: the
folder of ``path`` is created there (nothing happens for ``:memory:`` or a URL).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.credentials import DuckDBCredentials
from dbt.adapters.duckdb.plugins import BasePlugin


def is_local_file(path: str) -> bool:
    """A path of the local file system (not :memory:, md:…, s3://…)."""
    return bool(path) and not path.startswith(":memory:") and ":" not in path.split("/")[0]


class Plugin(BasePlugin):
    def update_connection_config(self, creds: DuckDBCredentials, config: dict[str, Any]) -> None:
        if is_local_file(creds.path):
            Path(creds.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
