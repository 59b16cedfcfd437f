"""Versioned contracts (integration_adoption/governance/contracts.py) on a
throw-away git copy of the project: retyping a column of a published mart is
caught by dbt's own contract comparison with the previous commit; publishing
the change as a new version beside the old one, with a deprecation date,
passes, and BI keeps reading the unsuffixed table until the latest version
moves."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from integration_adoption.governance.contracts import check, parse_base

from .conftest import ROOT

MART = Path("models/marts/adoption/dim_integrations.yml")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A git copy of the tracked project, one commit, and that commit's manifest."""
    work = tmp_path_factory.mktemp("contracts")
    repo = work / "repo"
    tracked = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z"], check=True, capture_output=True, text=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    return repo, parse_base(repo, "HEAD", work / "base")


def _edit(repo: Path, old: str, new: str) -> None:
    path = repo / MART
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def test_unchanged_project_passes(project: tuple[Path, Path], tmp_path: Path) -> None:
    repo, state = project
    outcome = check(repo, state, tmp_path)
    assert outcome.ok, outcome.output


def test_retyping_a_published_column_is_a_breaking_change(
    project: tuple[Path, Path], tmp_path: Path
) -> None:
    repo, state = project
    _edit(
        repo,
        "installed_connections\") }}'\n    data_type: bigint",
        "installed_connections\") }}'\n    data_type: varchar",
    )
    try:
        outcome = check(repo, state, tmp_path)
    finally:
        _git(repo, "checkout", "--", str(MART))
    assert not outcome.ok
    assert "breaking change to contract" in outcome.output.lower(), outcome.output
    assert "installed_connections (bigint -> varchar)" in outcome.output, outcome.output


def test_a_new_version_beside_the_old_one_passes(
    project: tuple[Path, Path], tmp_path: Path
) -> None:
    repo, state = project
    deprecation = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    # v2 drops a column; v1 stays the latest (the unsuffixed table) until its deprecation date
    _edit(
        repo,
        "  versions:\n  - v: 1\n",
        f"  versions:\n  - v: 1\n    defined_in: dim_integrations\n"
        f"    deprecation_date: {deprecation}\n"
        "  - v: 2\n    columns:\n    - include: all\n      exclude: [installed_connections]\n",
    )
    sql = (repo / MART.with_suffix(".sql")).read_text()
    v2 = repo / MART.with_name("dim_integrations_v2.sql")
    v2.write_text(f"select * exclude (installed_connections) from (\n{sql}\n)\n")
    try:
        outcome = check(repo, state, tmp_path)
        manifest = json.loads((tmp_path / "head_target" / "manifest.json").read_text())
    finally:
        _git(repo, "checkout", "--", str(MART))
        v2.unlink()
    assert outcome.ok, outcome.output
    nodes = manifest["nodes"]
    v1 = nodes["model.integration_adoption.dim_integrations.v1"]
    v2_node = nodes["model.integration_adoption.dim_integrations.v2"]
    assert (v1["alias"], v1["deprecation_date"][:10]) == ("dim_integrations", deprecation)
    assert v2_node["alias"] == "dim_integrations_v2"
    assert "installed_connections" not in v2_node["columns"]
