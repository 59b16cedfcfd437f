"""A build killed half way, then run again, leaves exactly what an uninterrupted
build leaves (brief; issue "Scale and reliability", item 3).

The warehouse as it stood one load day earlier (built day by day, conftest's
`day_by_day`, shared with the incremental-equality test) is the base. From
there, one copy takes the next day's incremental run uninterrupted; other
copies have the same run killed (SIGKILL, no chance to clean up) once a given
share of its models has finished, and are then simply run again, as a
scheduler's retry would. Every mart and every stored incremental table must
equal the uninterrupted copy, row for row.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from integration_adoption import warm_dbt
from integration_adoption.dbt_cli import ROOT, dbt_env
from integration_adoption.warehouse_diff import differences

from .conftest import assert_sources_read, dbt_models, in_slot

NODE_RESULTS = {"LogModelResult", "LogSeedResult", "LogTestResult", "LogSnapshotResult"}


def build_models(raw: Path, database: Path, target: Path, kill_at: float | None = None) -> int:
    """Build seeds and models; with `kill_at`, SIGKILL dbt once that share of them is done.

    Returns the share of nodes that had reported a result when the build ended.
    """
    with in_slot(database, target) as slot:
        process = warm_dbt.popen(
            dbt_models(["--log-format", "json", "build"], target),
            cwd=ROOT,
            env=dbt_env(raw, slot),
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert process.stdout is not None
        done = 0.0
        for line in process.stdout:
            event = json.loads(line)
            # node results only: hooks (on-run-start/-end) count their own index/total
            if event.get("info", {}).get("name") not in NODE_RESULTS:
                continue
            data = event.get("data", {})
            if "index" not in data or "total" not in data:
                continue
            done = data["index"] / data["total"]
            if kill_at is not None and done >= kill_at:
                os.killpg(process.pid, signal.SIGKILL)
                break
        process.wait()
    assert_sources_read(target, raw)
    if kill_at is None:
        assert process.returncode == 0, "the uninterrupted build failed"
    else:
        assert process.returncode == -signal.SIGKILL, "the build ended before it was killed"
    return done


@pytest.fixture(scope="module")
def day_before(
    tmp_path_factory: pytest.TempPathFactory, day_by_day: dict[str, Path]
) -> dict[str, Path]:
    # base: the warehouse after the run one load day before the last; uninterrupted:
    # the same warehouse after the last day's run, uninterrupted (both from day_by_day)
    work = tmp_path_factory.mktemp("crash")
    return {
        "work": work,
        # the day-by-day runs' target folder (and slot): dbt reuses their parse
        "target": day_by_day["target"],
        "raw_now": day_by_day["raw_minus_0"],
        "base": day_by_day["after_minus_1"],
        "uninterrupted": day_by_day["after_minus_0"],
    }


@pytest.mark.parametrize("kill_at", [0.3, 0.7])
def test_a_killed_build_run_again_equals_an_uninterrupted_one(day_before, kill_at):
    crashed = day_before["work"] / f"crashed_{kill_at}.duckdb"
    shutil.copy(day_before["base"], crashed)
    done = build_models(day_before["raw_now"], crashed, day_before["target"], kill_at)
    assert done < 1, "the kill did not land mid-way"
    assert differences(crashed, day_before["uninterrupted"]), "the kill left nothing to redo"
    build_models(day_before["raw_now"], crashed, day_before["target"])
    assert differences(crashed, day_before["uninterrupted"]) == {}
