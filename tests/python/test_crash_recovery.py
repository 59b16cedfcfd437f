"""A build killed half way, then run again, leaves exactly what an uninterrupted
build leaves (brief; issue "Scale and reliability", item 3).

The warehouse is built on the raw data as it stood one load day earlier. From
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

from integration_adoption.dbt_cli import MODELS_ONLY, ROOT, dbt_argv, dbt_env
from integration_adoption.raw_snapshots import raw_before_last_load_days
from integration_adoption.warehouse_diff import differences

NODE_RESULTS = {"LogModelResult", "LogSeedResult", "LogTestResult", "LogSnapshotResult"}


def build_models(raw: Path, database: Path, target: Path, kill_at: float | None = None) -> int:
    """Build seeds and models; with `kill_at`, SIGKILL dbt once that share of them is done.

    Returns the share of nodes that had reported a result when the build ended.
    """
    process = subprocess.Popen(
        dbt_argv(["--log-format", "json", "build", *MODELS_ONLY], target),
        cwd=ROOT,
        env=dbt_env(raw, database),
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
    if kill_at is None:
        assert process.returncode == 0, "the uninterrupted build failed"
    else:
        assert process.returncode == -signal.SIGKILL, "the build ended before it was killed"
    return done


@pytest.fixture(scope="module")
def day_before(tmp_path_factory: pytest.TempPathFactory, small_history: Path) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("crash")
    paths = {
        "work": work,
        "target": work / "target",
        "raw_then": raw_before_last_load_days(small_history, work / "raw_then", 1),
        "raw_now": raw_before_last_load_days(small_history, work / "raw_now", 0),
        "base": work / "base.duckdb",
        "uninterrupted": work / "uninterrupted.duckdb",
    }
    build_models(paths["raw_then"], paths["base"], paths["target"])
    shutil.copy(paths["base"], paths["uninterrupted"])
    build_models(paths["raw_now"], paths["uninterrupted"], paths["target"])
    return paths


@pytest.mark.parametrize("kill_at", [0.3, 0.7])
def test_a_killed_build_run_again_equals_an_uninterrupted_one(day_before, kill_at):
    crashed = day_before["work"] / f"crashed_{kill_at}.duckdb"
    shutil.copy(day_before["base"], crashed)
    done = build_models(day_before["raw_now"], crashed, day_before["target"], kill_at)
    assert done < 1, "the kill did not land mid-way"
    assert differences(crashed, day_before["uninterrupted"]), "the kill left nothing to redo"
    build_models(day_before["raw_now"], crashed, day_before["target"])
    assert differences(crashed, day_before["uninterrupted"]) == {}
