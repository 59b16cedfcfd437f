"""The tests of a replace_days model, right after its incremental run in the same
dbt invocation, check the days that run replaced, not the whole history (issue 17,
items 3 and 8: what a day's run reads grows with the new events, not the history;
macros/testing/get_where_subquery.sql). Every other run checks every row.

From the warehouse built day by day (conftest's `day_by_day`), the grain test of
fct_connection_health_daily (connection_id, health_date):
  * a duplicate planted on an old day, which the next run leaves alone, is not what
    that run's tests read: its `dbt build` passes; `dbt test` on its own, and the
    build with the var test_every_row, read every row and fail on it;
  * a duplicate the run itself writes on the first day it replaces (the lookback's
    first day; a second state spell planted upstream on that one day doubles the
    connection's row of it) fails that run's `dbt build`.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from integration_adoption.dbt_cli import ROOT, dbt_argv, dbt_env

from .conftest import LOOKBACK_DAYS, in_slot

MART = "marts.fct_connection_health_daily"
GRAIN_TEST = "unique_combination_of_columns_fct_connection_health_daily"


def dbt_on(
    command: str, raw: Path, database: Path, target: Path, every_row: bool = False
) -> subprocess.CompletedProcess:
    argv = dbt_argv(
        [
            command,
            "--select",
            "fct_connection_health_daily",
            "--exclude",
            "resource_type:unit_test",
        ],
        target,
        {
            "incremental_lookback_days": LOOKBACK_DAYS,
            **({"test_every_row": "true"} if every_row else {}),
        },
    )
    with in_slot(database, target) as slot:
        return subprocess.run(
            argv, cwd=ROOT, env=dbt_env(raw, slot), capture_output=True, text=True
        )


def duplicated_days(database: Path) -> set[dt.date]:
    with duckdb.connect(str(database), read_only=True) as con:
        grain = "connection_id, health_date"
        rows = con.execute(
            f"select health_date from {MART} group by {grain} having count(*) > 1"
        ).fetchall()
    return {row[0] for row in rows}


@pytest.fixture
def warehouse(day_by_day, tmp_path) -> Path:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(day_by_day["after_minus_0"], copy)
    return copy


def test_an_old_duplicate_is_left_to_the_runs_that_read_every_row(day_by_day, warehouse):
    with duckdb.connect(str(warehouse)) as con:
        (old_day,) = con.execute(f"select min(health_date) from {MART}").fetchone()
        con.execute(
            f"insert into {MART} select * from {MART} where health_date = ? limit 1", [old_day]
        )
    raw, target = day_by_day["raw_minus_0"], day_by_day["target"]

    day_run = dbt_on("build", raw, warehouse, target)
    assert day_run.returncode == 0, day_run.stdout
    assert duplicated_days(warehouse) == {old_day}

    every_row = dbt_on("build", raw, warehouse, target, every_row=True)
    assert every_row.returncode != 0 and GRAIN_TEST in every_row.stdout

    test_alone = dbt_on("test", raw, warehouse, target)
    assert test_alone.returncode != 0 and GRAIN_TEST in test_alone.stdout


def test_a_duplicate_the_run_writes_on_its_first_day_fails_it(day_by_day, warehouse):
    with duckdb.connect(str(warehouse)) as con:
        (newest,) = con.execute(f"select max(health_date) from {MART}").fetchone()
        first_day = newest - dt.timedelta(days=LOOKBACK_DAYS)
        (planted,) = con.execute(
            f"""
            insert into intermediate.int_connection_state_spells
            select * replace (spell_id || '-planted' as spell_id, ? as valid_from, ? as valid_to)
            from intermediate.int_connection_state_spells
            where
                ? between valid_from and coalesce(valid_to, ?)
                and connection_id = (
                    select min(connection_id) from {MART} where health_date = ?
                )
            returning connection_id
            """,
            [first_day, first_day, first_day, first_day, first_day],
        ).fetchone()
    assert planted

    day_run = dbt_on("build", day_by_day["raw_minus_0"], warehouse, day_by_day["target"])
    assert duplicated_days(warehouse) == {first_day}
    assert day_run.returncode != 0 and GRAIN_TEST in day_run.stdout
