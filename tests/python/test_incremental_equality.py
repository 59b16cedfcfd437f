"""Incremental runs must give exactly what a full refresh gives, and rebuilding
must be idempotent (brief; issue "Scale and reliability").

A small messy history is generated, then cut by load time into snapshots that
arrive one day at a time. One warehouse is built on the first snapshot and
then updated run by run (incremental models take only their lookback); a
second is built once, in full, on the last snapshot. Every mart and every
incremental model must be identical, row for row (doubles compared to 1e-9,
since parallel sums may differ in the last bits). Running once more on the
same data must change nothing. The lookback is set wider than the latest
late arrival, as the guarantee requires.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from integration_adoption.raw_snapshots import raw_before_last_load_days

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
# the generator delays late rows by at most 12 days; the lookback must cover that
LOOKBACK_DAYS = 14
NEW_DAYS = 3


def dbt(command: list[str], raw: Path, database: Path, target: Path) -> None:
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(ROOT),
        "IA_DUCKDB_PATH": str(database),
        "IA_RAW_DATA_PATH": str(raw),
    }
    subprocess.run(
        [
            str(DBT),
            *command,
            "--quiet",
            "--target-path",
            str(target),
            "--vars",
            f"{{incremental_lookback_days: {LOOKBACK_DAYS}}}",
            "--exclude",
            "resource_type:test",
            "resource_type:unit_test",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )


def differences(left: Path, right: Path) -> dict[str, int]:
    """Rows of each compared table that are not in the other warehouse."""
    found: dict[str, int] = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        tables = con.execute(
            """
            select schema_name, table_name from duckdb_tables()
            where database_name = 'l'
                and (schema_name = 'marts' or table_name in (
                    'int_connection_activity_daily', 'base_product__integration_events_triaged'
                ))
            order by 1, 2
            """
        ).fetchall()
        assert tables, "nothing to compare"
        for schema, table in tables:
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() "
                "where database_name = 'l' and schema_name = ? and table_name = ? "
                "order by column_index",
                [schema, table],
            ).fetchall()
            select = ", ".join(
                f"round({name}, 9)" if kind == "DOUBLE" else name for name, kind in columns
            )
            count = con.execute(
                f"""
                select count(*) from (
                    (select {select} from l.{schema}.{table}
                     except all select {select} from r.{schema}.{table})
                    union all
                    (select {select} from r.{schema}.{table}
                     except all select {select} from l.{schema}.{table})
                )
                """
            ).fetchone()[0]
            if count:
                found[f"{schema}.{table}"] = count
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("incremental")
    raw = work / "raw"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "integration_adoption.generator",
            "--out",
            str(raw),
            "--seed",
            "11",
            "--start-date",
            "2025-01-01",
            "--end-date",
            "2025-06-30",
            "--accounts",
            "150",
            "--messy",
            "--quiet",
        ],
        cwd=ROOT,
        check=True,
    )
    target = work / "target"
    incremental = work / "incremental.duckdb"
    for days_before_last in range(NEW_DAYS, -1, -1):
        day_raw = raw_before_last_load_days(
            raw, work / f"raw_minus_{days_before_last}", days_before_last
        )
        first = days_before_last == NEW_DAYS
        dbt(["build", "--full-refresh"] if first else ["build"], day_raw, incremental, target)
    full = work / "full.duckdb"
    final_raw = work / "raw_minus_0"
    dbt(["build", "--full-refresh"], final_raw, full, target)
    return {"incremental": incremental, "full": full, "raw": final_raw, "target": target}


def test_day_by_day_runs_equal_a_full_refresh(built):
    assert differences(built["incremental"], built["full"]) == {}


def test_running_again_changes_nothing(built):
    again = built["incremental"].with_name("again.duckdb")
    shutil.copy(built["incremental"], again)
    dbt(["build"], built["raw"], again, built["target"])
    assert differences(again, built["incremental"]) == {}
