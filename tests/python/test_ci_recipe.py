"""The scheduled-run recipe (`make ci`, docs/ci.md), run end to end as a CI job would.

Small demo data ending yesterday (the generator's default: its last loads land
early today, so `loaded_at` is recent and never in the future) goes through
`make ci` with a real pseudonymisation key: freshness must pass because the
data is fresh, then build, validation, the dashboard snapshot, and the
artifacts kept must hold none of the key. Data that stopped arriving a month
ago must stop the run at freshness, before anything is built or kept.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import duckdb
import pytest

from integration_adoption.generator.config import RunConfig
from integration_adoption.generator.run import generate

from .conftest import ROOT

# the sources' freshness criteria (models/staging/*/_*__sources.yml): warn after 36 hours
WARN_AFTER_SECONDS = 36 * 3600
KEPT_WITH_A_REAL_KEY = {"build_summary.txt", "freshness.json", "dashboard_snapshot.duckdb"}
KEEP = ROOT / "scripts" / "ci" / "keep_artifacts.sh"


def _generate(out: Path, end: dt.date, accounts: int) -> Path:
    generate(
        RunConfig(
            out=out,
            seed=5,
            start_date=end - dt.timedelta(days=400),
            end_date=end,
            accounts=accounts,
            messy=False,
            quiet=True,
        )
    )
    return out


def _make_ci(work: Path, raw: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`make ci` with every path it writes under `work`."""
    paths = {
        "CI_RAW": raw,
        "CI_DB": work / "warehouse.duckdb",
        "CI_WORK": work / "run",
        "CI_ARTIFACTS": work / "artifacts",
        "CI_SNAPSHOT": work / "snapshot.duckdb",
    }
    return subprocess.run(
        ["make", "--no-print-directory", "ci", *(f"{name}={path}" for name, path in paths.items())],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "IA_PII_HASH_KEY"}, **env},
        capture_output=True,
        text=True,
    )


def _files_holding(folder: Path, text: str) -> list[str]:
    needle = text.encode()
    return [
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file() and needle in path.read_bytes()
    ]


def _marts(database: Path) -> dict[str, int]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        names = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
        return {
            name: con.execute(f'select count(*) from marts."{name}"').fetchone()[0]
            for (name,) in names
        }
    finally:
        con.close()


def _all_column(lines: list[str], label: str) -> int:
    """The `all` count of a row of the generator's table."""
    row = next(line for line in lines if line.startswith(label))
    return int(row[len(label) :].split()[2].replace(",", ""))


def _summary_count(summary: str, pattern: str) -> int:
    return int(re.search(pattern, summary, re.MULTILINE).group(1).replace(",", ""))


def test_make_ci_runs_end_to_end_on_fresh_data(tmp_path: Path) -> None:
    # the demo generator as a user runs it, ending yesterday (its default)
    raw = tmp_path / "raw"
    start = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=400)
    generated = subprocess.run(
        [
            *(sys.executable, "-m", "integration_adoption.generator", "--out", str(raw)),
            *("--accounts", "60", "--seed", "5", "--start-date", start.isoformat()),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    key = f"ia-canary-hash-key-{uuid.uuid4().hex}"

    done = _make_ci(tmp_path, raw, IA_PII_HASH_KEY=key)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]

    artifacts = tmp_path / "artifacts"
    assert {path.name for path in artifacts.iterdir()} == KEPT_WITH_A_REAL_KEY
    # fresh for the right reason: every source loaded recently, none in the future
    freshness = json.loads((artifacts / "freshness.json").read_text())["results"]
    assert len(freshness) >= 3
    for source in freshness:
        assert source["status"] == "pass", source["unique_id"]
        assert 0 <= source["max_loaded_at_time_ago_in_s"] < WARN_AFTER_SECONDS, source
    # the key is in dbt's compiled SQL of the run, and in nothing kept
    assert _files_holding(tmp_path / "run" / "target", key)
    assert _files_holding(artifacts, key) == []
    # the published snapshot holds the marts as built
    assert _marts(artifacts / "dashboard_snapshot.duckdb") == _marts(tmp_path / "warehouse.duckdb")
    # the generator and the build summary count the same things
    summary = (artifacts / "build_summary.txt").read_text()
    assert "fct_integration_funnel" in summary
    assert _all_column(generated, "raw event rows") == _summary_count(
        summary, r"^\s+all\s+raw_rows\s+([\d,]+)$"
    )
    assert _all_column(generated, "connections") == _summary_count(summary, r"^all\s+([\d,]+)\s")


def test_make_ci_stops_at_freshness_when_data_stopped_arriving(tmp_path: Path) -> None:
    month_ago = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=30)
    raw = _generate(tmp_path / "raw", month_ago, accounts=20)

    done = _make_ci(tmp_path, raw)
    assert done.returncode != 0
    assert "ERROR STALE" in done.stdout
    # nothing built, validated or kept after the stale sources
    assert " build " not in done.stdout and "START sql" not in done.stdout
    assert (
        not (tmp_path / "warehouse.duckdb").exists() or _marts(tmp_path / "warehouse.duckdb") == {}
    )
    assert not (tmp_path / "artifacts").exists()


@pytest.fixture
def finished_run(tmp_path: Path) -> Path:
    """A run folder as `make ci` leaves it, with the key written where dbt writes it."""
    work = tmp_path / "run"
    for folder in ("target/compiled", "logs", "gx"):
        (work / folder).mkdir(parents=True)
    (work / "target" / "compiled" / "model.sql").write_text("select sha256('the-real-key:' || id)")
    (work / "target" / "sources.json").write_text('{"results": []}')
    (work / "logs" / "dbt.log").write_text("select sha256('the-real-key:' || id)")
    (work / "gx" / "index.html").write_text("<html></html>")
    (work / "build_summary.txt").write_text("Warehouse: …")
    (tmp_path / "snapshot.duckdb").write_bytes(b"marts")
    return work


def _keep(work: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(KEEP), str(work.parent / "kept"), str(work)],
        env={
            **{k: v for k, v in os.environ.items() if k != "IA_PII_HASH_KEY"},
            "CI_SNAPSHOT": str(work.parent / "snapshot.duckdb"),
            **env,
        },
        capture_output=True,
        text=True,
    )


def test_the_development_key_keeps_dbts_artifacts_a_real_key_does_not(finished_run: Path) -> None:
    kept = finished_run.parent / "kept"
    assert _keep(finished_run).returncode == 0
    assert {"dbt_target", "dbt_logs", "gx_data_docs"} < {path.name for path in kept.iterdir()}
    done = _keep(finished_run, IA_PII_HASH_KEY="the-real-key")
    assert done.returncode == 0, done.stderr
    assert {path.name for path in kept.iterdir()} == KEPT_WITH_A_REAL_KEY


def test_a_kept_file_holding_the_real_key_fails_the_run(finished_run: Path) -> None:
    (finished_run.parent / "snapshot.duckdb").write_bytes(b"the-real-key")
    done = _keep(finished_run, IA_PII_HASH_KEY="the-real-key")
    assert done.returncode == 1
    assert "dashboard_snapshot.duckdb" in done.stdout
    assert not (finished_run.parent / "kept").exists()
