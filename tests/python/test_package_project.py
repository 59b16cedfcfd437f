"""integration_adoption as a package: integration_tests/, a dbt project of
its own (as in dbt-utils), installs it from the folder above (packages.yml
`local: ..`), calls the matching macros on a table of its own and builds only
its own nodes. Its figures are the hand-worked ones of
tests/assert_coarsened_exact_matching_by_hand.sql, and its own
duckdb__cem_stratum_key (an md5 of the package's key) replaces the package's
through the dispatch entry of its dbt_project.yml, as with dbt-utils."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import duckdb
import pytest

from integration_adoption import warm_dbt
from integration_adoption.dbt_cli import DBT, ROOT

PROJECT = ROOT / "integration_tests"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The package project's warehouse after `dbt deps` and `dbt build --select package_project`."""
    work = tmp_path_factory.mktemp("package_project")
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT),
        "IA_PACKAGE_DUCKDB_PATH": str(work / "package_project.duckdb"),
        # outside the repository: the link dbt deps makes points back at its root
        "IA_PACKAGE_INSTALL_PATH": str(work / "dbt_packages"),
    }
    logs = ["--log-path", str(work / "logs")]
    target = ["--target-path", str(work / "target")]
    # dbt deps needs no hub for a local package: it links .. into the install path
    for command in (["deps", *logs], ["build", "--select", "package_project", *logs, *target]):
        result = warm_dbt.run(
            [str(DBT), *command], cwd=PROJECT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
    run_results = json.loads((work / "target" / "run_results.json").read_text())
    return work / "package_project.duckdb", run_results


def test_only_the_projects_own_nodes_are_built(built: tuple[Path, dict]) -> None:
    _, run_results = built
    # the package's on-run-start/-end hooks run too (nothing on DuckDB); no model of it does
    nodes = sorted(
        result["unique_id"]
        for result in run_results["results"]
        if not result["unique_id"].startswith("operation.")
    )
    assert nodes == [
        "model.package_project.training_balance",
        "model.package_project.training_effects",
        "model.package_project.training_strata",
        "seed.package_project.trainees",
    ]


def test_effects_are_the_hand_worked_ones(built: tuple[Path, dict]) -> None:
    database, _ = built
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select cohort, matched_treated_count, unmatched_treated_count, matched_control_count,"
            " att, att_se, e_value from training_effects order by cohort"
        ).fetchall()
    (a, b) = rows
    # cohort a: ATT 3/4 · 2/3 + 1/4 · 2/3 = 2/3, SE² 13/144; matched means
    # 3/4 and 1/12, RR 9, E = 9 + √72
    assert a[:4] == ("a", 4, 2, 5)
    assert a[4] == pytest.approx(2 / 3)
    assert a[5] == pytest.approx(math.sqrt(13 / 144))
    assert a[6] == pytest.approx(9 + math.sqrt(72))
    # cohort b: one unit per arm per stratum, ATT 0, SE √(1/2), no lift: E 1
    assert b[:4] == ("b", 2, 0, 2)
    assert b[4] == pytest.approx(0)
    assert b[5] == pytest.approx(math.sqrt(0.5))
    assert b[6] == pytest.approx(1)


def test_the_projects_own_stratum_key_is_dispatched(built: tuple[Path, dict]) -> None:
    database, _ = built
    with duckdb.connect(str(database), read_only=True) as con:
        strata = con.execute(
            "select cohort, trainee_id, cem_stratum from training_strata order by trainee_id"
        ).fetchall()
        balance_rows = con.execute("select count(*) from training_balance").fetchone()
    assert all(len(key) == 32 and set(key) <= set("0123456789abcdef") for _, _, key in strata)
    by_trainee = {trainee: (cohort, key) for cohort, trainee, key in strata}
    # cohort a, by hand: plan x below 10 (1 to 5, 14), x from 10 (6 to 9),
    # y below 10 (10, 11), y from 10 (12, 13)
    hand = {1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 14: 0, 6: 1, 7: 1, 8: 1, 9: 1, 10: 2, 11: 2, 12: 3, 13: 3}
    keys = {trainee: by_trainee[trainee][1] for trainee in hand}
    for first in hand:
        for second in hand:
            assert (keys[first] == keys[second]) == (hand[first] == hand[second]), (first, second)
    assert balance_rows == ((2 + 1) + (1 + 1),)
