"""Vars are validated while the Jinja renders, each message naming the var (macro
validate_vars; docs/bad_data.md): SQL in `as_of_date` never reaches the warehouse, and a
raw data path with a quote (or braces) is read as written on DuckDB."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb

from integration_adoption import warm_dbt
from integration_adoption.dbt_cli import DBT

from .conftest import ROOT

INJECTION = "2025-06-30' as date) + (select count(*) from marts.dim_accounts) * 0, cast('x"


def dbt(args: list[str], work: Path, raw: Path | None = None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(ROOT),
        "IA_DUCKDB_PATH": str(work / "warehouse.duckdb"),
        "IA_RAW_DATA_PATH": str(raw or work / "raw"),
    }
    argv = [str(DBT), *args, "--target-path", str(work / "target"), "--log-path", str(work)]
    return warm_dbt.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)


def test_bad_vars_are_refused_at_parse_time_by_name(tmp_path: Path):
    bad = {
        "as_of_date": f'"{INJECTION}"',
        "incremental_lookback_days": -30,
        "future_timestamp_tolerance_days": '"1; drop table x"',
        "api_limit_proximity_share": 1.5,
        "employee_band_cuts": "[250, 50]",
        "segments": '[smb, "x\' or 1=1"]',
        "raw_schema": '"raw; drop schema marts"',
        "impact_t0_step_months": 0,
        "impact_min_history_months": 1.5,
    }
    rendered = ", ".join(f"{name}: {value}" for name, value in bad.items())
    parsed = dbt(["parse", "--no-partial-parse", "--vars", f"{{{rendered}}}"], tmp_path)
    assert parsed.returncode != 0
    assert "invalid vars" in parsed.stdout
    for name in bad:
        assert f"- {name} must be" in parsed.stdout, name
    # nothing was written: parse never opens the warehouse
    assert not (tmp_path / "warehouse.duckdb").exists()


def test_a_raw_path_with_a_quote_and_braces_is_read_as_written(tmp_path: Path):
    raw = tmp_path / "it's {raw}"
    (raw / "accounts").mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute(
            "copy (select 'a' || i as account_id from range(3) as t(i)) to ? (format parquet)",
            [str(raw / "accounts" / "part-0.parquet")],
        )
    query = "select count(*) as n from {{ source('product', 'accounts') }}"
    shown = dbt(["show", "--quiet", "--inline", query, "--output", "json"], tmp_path, raw)
    assert shown.returncode == 0, shown.stdout
    assert '"n": 3' in shown.stdout
