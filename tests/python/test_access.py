"""Groups and access (models/_groups.yml, dbt_project.yml): every model has an
owning group, only marts are public, intermediate models never are, and a
private model really cannot be read from another group."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from integration_adoption import warm_dbt

from .conftest import ROOT

DBT = Path(sys.executable).parent / "dbt"


def _layer(node: dict[str, Any]) -> str:
    return Path(node["original_file_path"]).parts[1]


def test_every_model_has_an_owned_group(manifest: dict[str, Any]) -> None:
    groups = {group["name"]: group for group in manifest["groups"].values()}
    assert {"adoption", "health", "impact"} <= set(groups)
    assert all(group["owner"].get("email") for group in groups.values())
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert models and all(node["group"] in groups for node in models)


def test_only_marts_are_public(manifest: dict[str, Any]) -> None:
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    by_layer: dict[str, set[str]] = {}
    for node in models:
        by_layer.setdefault(_layer(node), set()).add(node["access"])
    assert by_layer["marts"] == {"public"}
    assert by_layer["intermediate"] == {"private", "protected"}
    assert by_layer["staging"] == {"protected"}


def test_a_private_model_cannot_be_read_from_another_group(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    tracked = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z"], check=True, capture_output=True, text=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    # an impact mart reads the health group's private inputs
    mart = repo / "models/marts/impact/fct_integration_impact_balance.sql"
    mart.write_text(mart.read_text() + "\n-- depends_on: {{ ref('int_account_health_inputs') }}\n")
    completed = warm_dbt.run(
        [str(DBT), "parse", "--no-partial-parse", "--target-path", str(tmp_path / "target")],
        cwd=repo,
        env={
            **os.environ,
            "DBT_PROFILES_DIR": str(repo),
            "IA_DUCKDB_PATH": str(tmp_path / "x.duckdb"),
        },
        capture_output=True,
        text=True,
    )
    assert completed.returncode != 0
    assert "private to the 'health' group" in completed.stdout, completed.stdout
