"""No credential in the repository or in anything dbt writes
(integration_adoption/governance/secrets.py). The credential variables that
profiles.yml reads are set to unique canary values, dbt parses every target
whose adapter is installed and compiles the DuckDB one, and neither the
tracked files nor the target and log folders contain a canary."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import uuid
from pathlib import Path

import yaml

from integration_adoption import warm_dbt
from integration_adoption.governance.secrets import (
    SECRET_PREFIX,
    env_var_names,
    profile_problems,
    scan,
)

from .conftest import ROOT

PROFILES = ROOT / "profiles.yml"
DBT = Path(sys.executable).parent / "dbt"


def test_profile_reads_every_credential_from_env_var() -> None:
    assert profile_problems(yaml.safe_load(PROFILES.read_text())) == []


def test_credentials_written_into_a_profile_are_caught() -> None:
    planted = {
        "integration_adoption": {
            "outputs": {
                "pg": {
                    "type": "postgres",
                    "host": "db.internal",
                    "user": "{{ env_var('IA_PG_USER') }}",
                    "password": "{{ env_var('IA_PG_PASSWORD') }}",
                },
                "pg2": {
                    "type": "postgres",
                    "password": "{{ env_var('DBT_ENV_SECRET_PG_PASSWORD', 'hunter2') }}",
                },
                "duckdb": {"type": "duckdb", "path": "x.duckdb", "password": "hunter2"},
            }
        }
    }
    assert profile_problems(planted) == [
        "integration_adoption.outputs.pg.host is written in the file, not read with env_var()",
        f"integration_adoption.outputs.pg.password must come from a {SECRET_PREFIX}* variable",
        "integration_adoption.outputs.pg2.password has a default value in the file",
        "integration_adoption.outputs.duckdb.password: the embedded DuckDB needs no credential",
    ]


def _is_credential(name: str) -> bool:
    return name.startswith(SECRET_PREFIX) or any(
        word in name for word in ("PASSWORD", "TOKEN", "USER", "SECRET")
    )


def test_no_credential_value_is_written_anywhere(tmp_path: Path) -> None:
    text = PROFILES.read_text()
    canaries = {
        name: f"ia-canary-{uuid.uuid4().hex}"
        for name in env_var_names(text)
        if _is_credential(name)
    }
    # the hash key is no credential and dbt writes it into the compiled SQL
    # (docs/governance.md): the scan must find it there
    hash_key = f"ia-canary-hash-key-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        **canaries,
        "IA_PII_HASH_KEY": hash_key,
        "DBT_PROFILES_DIR": str(ROOT),
        "IA_DUCKDB_PATH": str(tmp_path / "canary.duckdb"),
    }
    outputs = yaml.safe_load(text)["integration_adoption"]["outputs"]
    written = []
    for target, output in outputs.items():
        if importlib.util.find_spec(f"dbt.adapters.{output['type']}") is None:
            continue  # its adapter is not installed here
        # parse renders the target's credentials; compile on DuckDB also connects
        command = ["compile", "--select", "staging"] if output["type"] == "duckdb" else ["parse"]
        folders = [tmp_path / f"target_{target}", tmp_path / f"logs_{target}"]
        completed = warm_dbt.run(
            [
                *(str(DBT), *command, "--target", target, "--no-partial-parse"),
                *("--target-path", str(folders[0]), "--log-path", str(folders[1])),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr
        (folders[1] / "stdout.txt").write_text(completed.stdout + completed.stderr)
        written += folders
    assert "duckdb" in outputs and written
    tracked = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, text=True, check=True
    ).stdout.split("\0")
    files = [ROOT / name for name in tracked if name and (ROOT / name).is_file()]
    assert scan([*files, *written], canaries.values()) == []
    assert scan(files, [hash_key]) == []
    compiled = scan(written, [hash_key])
    # (and in run_results.json and the manifest, which carry the compiled code)
    assert any("/compiled/" in hit for hit in compiled), compiled


def test_the_scan_finds_a_written_value(tmp_path: Path) -> None:
    (tmp_path / "target" / "compiled").mkdir(parents=True)
    (tmp_path / "target" / "compiled" / "model.sql").write_text("select 'ia-canary-x' as leaked")
    (tmp_path / "clean.sql").write_text("select 1")
    assert scan([tmp_path], ["ia-canary-x", "ia-canary-y"]) == [
        f"{tmp_path / 'target' / 'compiled' / 'model.sql'}: ia-canary-x"
    ]
