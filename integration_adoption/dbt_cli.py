"""The dbt command line as the tests and benchmarks call it: one warehouse, one raw folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).with_name("dbt")
MODELS_ONLY = ["--exclude", "resource_type:test", "resource_type:unit_test"]


def dbt_argv(
    command: list[str], target: Path, dbt_vars: dict[str, object] | None = None
) -> list[str]:
    """`dbt <command>` with its own target folder and optional vars."""
    argv = [str(DBT), *command, "--target-path", str(target)]
    if dbt_vars:
        rendered = ", ".join(f"{key}: {value}" for key, value in dbt_vars.items())
        argv += ["--vars", f"{{{rendered}}}"]
    return argv


def dbt_env(raw: Path, database: Path) -> dict[str, str]:
    """The environment that points the duckdb target at `database` and `raw`."""
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(ROOT),
        "IA_DUCKDB_PATH": str(database),
        "IA_RAW_DATA_PATH": str(raw),
    }
