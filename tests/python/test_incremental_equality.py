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
from pathlib import Path

import pytest

from integration_adoption.warehouse_diff import differences

from .conftest import run_dbt_models


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, day_by_day: dict[str, Path]) -> dict[str, Path]:
    # the day-by-day runs (conftest, shared with the crash test): a full build on the
    # snapshot NEW_DAYS load days before the last, then one incremental run per day
    work = tmp_path_factory.mktemp("incremental")
    full = work / "full.duckdb"
    final_raw = day_by_day["raw_minus_0"]
    # the same target folder (and slot) as the day-by-day runs: dbt reuses their parse
    run_dbt_models(["build", "--full-refresh"], final_raw, full, day_by_day["target"])
    return {
        "incremental": day_by_day["after_minus_0"],
        "full": full,
        "raw": final_raw,
        "target": day_by_day["target"],
    }


def test_day_by_day_runs_equal_a_full_refresh(built):
    assert differences(built["incremental"], built["full"]) == {}


def test_running_again_changes_nothing(built):
    again = built["incremental"].with_name("again.duckdb")
    shutil.copy(built["incremental"], again)
    run_dbt_models(["build"], built["raw"], again, built["target"])
    assert differences(again, built["incremental"]) == {}
