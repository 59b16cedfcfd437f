"""The warm dbt server (integration_adoption/warm_dbt.py) runs a command as the `dbt`
script does: the caller's environment, working folder and streams, dbt's exit code, a
process of its own that can be killed alone."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from integration_adoption import warm_dbt
from integration_adoption.dbt_cli import DBT


def _both(argv: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, ...]:
    """`argv` run by the `dbt` script and by the server: (script, warm)."""
    script = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    warm = warm_dbt.run(argv, capture_output=True, text=True, **kwargs)
    return script, warm


def _without_clock(text: str) -> str:
    return re.sub(r"\d\d:\d\d:\d\d", "hh:mm:ss", text)


def test_the_environment_is_the_callers(tmp_path: Path) -> None:
    folder = tmp_path / "profiles_from_the_environment"
    env = {**os.environ, "DBT_PROFILES_DIR": str(folder)}
    script, warm = _both([str(DBT), "debug", "--config-dir"], env=env)
    assert str(folder) in warm.stdout
    assert (warm.returncode, _without_clock(warm.stdout)) == (
        script.returncode,
        _without_clock(script.stdout),
    )


def test_the_working_folder_is_the_callers(tmp_path: Path) -> None:
    # without DBT_PROFILES_DIR, dbt looks for profiles.yml in the working folder first
    (tmp_path / "profiles.yml").write_text("x: {}\n")
    env = {key: value for key, value in os.environ.items() if key != "DBT_PROFILES_DIR"}
    script, warm = _both([str(DBT), "debug", "--config-dir"], env=env, cwd=tmp_path)
    assert str(tmp_path) in warm.stdout
    assert _without_clock(warm.stdout) == _without_clock(script.stdout)


def test_a_failing_command_exits_with_dbts_code(tmp_path: Path) -> None:
    argv = [str(DBT), "run", "--project-dir", str(tmp_path / "no_project_here")]
    script, warm = _both(argv)
    assert script.returncode != 0
    assert warm.returncode == script.returncode
    with pytest.raises(subprocess.CalledProcessError):
        warm_dbt.run(argv, capture_output=True, check=True)


def test_a_command_killed_alone_and_the_next_one_runs(tmp_path: Path) -> None:
    # a parse of the project takes seconds: killed after one, in its own session
    argv = [str(DBT), "parse", "--no-partial-parse", "--target-path", str(tmp_path / "t")]
    env = {**os.environ, "IA_DUCKDB_PATH": str(tmp_path / "x.duckdb")}
    process = warm_dbt.popen(argv, env=env, stdout=subprocess.PIPE, start_new_session=True)
    time.sleep(1)
    assert process.poll() is None
    os.killpg(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    process.stdout.close()
    after = warm_dbt.run([str(DBT), "debug", "--config-dir"], capture_output=True, text=True)
    assert after.returncode == 0, after.stdout + after.stderr


def test_only_dbt_commands_are_served() -> None:
    with pytest.raises(ValueError, match="not a dbt command"):
        warm_dbt.run(["ls", "-l"])
