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

import shutil
import subprocess
from pathlib import Path

import pytest

from integration_adoption.dbt_cli import MODELS_ONLY, ROOT, dbt_argv, dbt_env
from integration_adoption.raw_snapshots import raw_before_last_load_days
from integration_adoption.warehouse_diff import differences

# the generator delays late rows by at most 12 days; the lookback must cover that
LOOKBACK_DAYS = 14
NEW_DAYS = 3


def dbt(command: list[str], raw: Path, database: Path, target: Path) -> None:
    argv = dbt_argv(
        [*command, "--quiet", *MODELS_ONLY], target, {"incremental_lookback_days": LOOKBACK_DAYS}
    )
    subprocess.run(argv, cwd=ROOT, env=dbt_env(raw, database), check=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, small_history: Path) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("incremental")
    raw = small_history
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
