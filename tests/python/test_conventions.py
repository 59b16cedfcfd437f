"""The convention checker (dbt-bouncer.yml, `make conventions`) fails on each broken rule.

`make conventions` shows the project passes; these tests show the same configuration
fails, naming the rule and the model, on deliberate violations — and on nothing else:
every existing model stays in the run as the control, so each expected failure set is
exact. The first test plants models that each break one rule in a copy of the project and
parses it; the second breaks the manifest that `make docs` wrote beside the test
warehouse's catalog (the catalog checks compare the two) and one exposure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from integration_adoption import warm_dbt
from integration_adoption.conventions import versioned_catalog

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PROJECT = "integration_adoption"

Failure = tuple[str, str]  # (check name, resource name)


def bouncer(artifacts: Path, work: Path, *options: str) -> tuple[int, str, dict[Failure, str]]:
    """Run dbt-bouncer with the project's config on other artifacts.

    Returns the exit code, the console output and each failure's message.
    """
    config = yaml.safe_load((ROOT / "dbt-bouncer.yml").read_text())
    config["dbt_artifacts_dir"] = str(artifacts)
    config["custom_checks_dir"] = str(ROOT / config["custom_checks_dir"])
    config_path = work / "dbt-bouncer.yml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    results = work / "bouncer_results.json"
    completed = subprocess.run(
        [
            str(BIN / "dbt-bouncer"),
            "run",
            "--config-file",
            str(config_path),
            "--output-file",
            str(results),
            "--output-only-failures",
            *options,
        ],
        cwd=work,
        capture_output=True,
        text=True,
    )
    failures = {
        (row["check_run_id"].split(":")[0], row["unique_id"].split(".")[2]): row["failure_message"]
        for row in json.loads(results.read_text())
        if row["outcome"] == "failed"
    }
    return completed.returncode, completed.stdout + completed.stderr, failures


# ---------- planted models, each breaking one rule (dim_undocumented breaks two)

PK = ["unique", "not_null"]


def column(name: str, tests: list[Any], described: bool = True) -> dict[str, Any]:
    return {
        "name": name,
        **({"description": f"The {name}."} if described else {}),
        "data_tests": tests,
    }


def reading(*parents: str) -> str:
    """A model that reads each of ``parents`` (models or seeds)."""
    relations = [f"{{{{ ref('{parent}') }}}}" for parent in parents]
    return "select count(*) as row_count from " + "\ncross join ".join(relations)


def lines_long(n: int) -> str:
    """A model whose SQL file is ``n`` lines long."""
    return "select 1 as line_id\n" + "\n".join(f"-- line {k}" for k in range(2, n + 1))


# six models and seeds: the most a model may read (integration_catalog, alert_types are seeds)
SIX_PARENTS = (
    "int_accounts",
    "int_as_of_date",
    "int_connections_lifecycle",
    "int_connection_state_spells",
    "integration_catalog",
    "alert_types",
)

# folder under models/: (name, sql, description, columns)
PLANTED: dict[str, tuple[str, str, str | None, list[dict[str, Any]]]] = {
    "marts/adoption": (
        "integration_summary",  # a mart named neither fct_ nor dim_
        "select integration_key from {{ ref('dim_integrations') }}",
        "Integrations.",
        [column("integration_key", PK)],
    ),
    "staging/product": (
        "product_accounts_copy",  # a staging model without stg_<source>__
        "select account_id from {{ source('product', 'accounts') }}",
        "Accounts.",
        [column("account_id", PK)],
    ),
    "intermediate/connections": (
        "int_raw_event_counts",  # an intermediate model reading a source
        "select connection_id, count(*) as n_events "
        "from {{ source('product', 'integration_events') }} group by connection_id",
        "Raw events per connection.",
        [column("connection_id", PK), column("n_events", [])],
    ),
    "marts/health": (
        "fct_alert_keys",  # unique and not_null, but on different columns
        "select alert_id, account_id from {{ ref('fct_integration_alerts') }}",
        "Alert keys.",
        [column("alert_id", ["unique"]), column("account_id", ["not_null"])],
    ),
    "intermediate/health": (
        "int_clean_event_ids",  # a key tested on a subset of rows only
        "select event_id, rejection_reason from {{ ref('stg_product__integration_events') }}",
        "Event ids.",
        [
            column(
                "event_id",
                [{"unique": {"config": {"where": "rejection_reason is null"}}}, "not_null"],
            ),
            column("rejection_reason", []),
        ],
    ),
    "marts/impact": (
        "dim_undocumented",  # no model description, and a column without one
        "select integration_key, 1 as mystery from {{ ref('dim_integrations') }}",
        None,
        [column("integration_key", PK), column("mystery", [], described=False)],
    ),
    "utilities": (
        "int_misplaced",  # outside staging/, intermediate/ and marts/
        "select integration_key from {{ ref('dim_integrations') }}",
        "Misplaced.",
        [column("integration_key", PK)],
    ),
    "intermediate/accounts": (
        # seven parents, but only five of them models: dbt-bouncer's own
        # check_model_max_upstream_dependencies (5 models) would pass it
        "int_seven_parents",
        reading(*SIX_PARENTS, "plan_limits"),
        "Reads four models and three seeds.",
        [column("row_count", PK)],
    ),
    "intermediate/adoption": (
        "int_six_parents",  # the control: exactly the limit
        reading(*SIX_PARENTS),
        "Reads four models and two seeds.",
        [column("row_count", PK)],
    ),
    "intermediate/alerts": (
        # reads a seed through a macro that calls ref() itself (PLANTED_MACRO)
        "int_hidden_parent",
        "select count(*) as row_count from {{ planted_plan_limits() }}",
        "Reads plan_limits, which its file does not name.",
        [column("row_count", PK)],
    ),
    "marts/data_quality": (
        "fct_long_model",  # 201 lines of SQL
        lines_long(201),
        "Too long.",
        [column("line_id", PK)],
    ),
    "marts/calendar": (
        "fct_two_hundred_lines",  # the control: exactly 200 lines
        lines_long(200),
        "Long enough.",
        [column("line_id", PK)],
    ),
}
# a unit test of two planted models (both read dim_integrations): a name of 61
# characters, and the control, exactly the limit of 60
LONG_UNIT_TEST = "a_unit_test_whose_name_is_one_character_longer_than_permitted"
LIMIT_UNIT_TEST = "a_unit_test_whose_name_has_exactly_the_permitted_sixty_chars"
PLANTED_UNIT_TESTS = {"int_misplaced": LONG_UNIT_TEST, "integration_summary": LIMIT_UNIT_TEST}
PLANTED_FAILURES: set[Failure] = {
    ("check_model_names", "integration_summary"),
    ("check_model_names", "product_accounts_copy"),
    ("check_lineage_source_cannot_be_used", "int_raw_event_counts"),
    ("check_model_has_primary_key_test", "fct_alert_keys"),
    ("check_model_has_primary_key_test", "int_clean_event_ids"),
    ("check_model_description_populated", "dim_undocumented"),
    ("check_model_column_description_populated", "dim_undocumented"),
    ("check_model_directories", "int_misplaced"),
    ("check_model_max_parents", "int_seven_parents"),
    ("check_model_max_number_of_lines", "fct_long_model"),
    ("check_model_parents_are_visible", "int_hidden_parent"),
    ("check_unit_test_name_length", "int_misplaced"),
}
# a macro that hides the table it reads (int_hidden_parent calls it)
PLANTED_MACRO = "{% macro planted_plan_limits() %}{{ ref('plan_limits') }}{% endmacro %}\n"


def test_planted_violations_fail_each_rule_and_nothing_else(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(ROOT / name, project / name)
    for folder in ("models", "macros", "seeds", "analyses"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copytree(ROOT / "tests", project / "tests", ignore=shutil.ignore_patterns("python"))
    (project / "macros" / "planted_plan_limits.sql").write_text(PLANTED_MACRO)
    for folder, (name, sql, description, columns) in PLANTED.items():
        directory = project / "models" / folder
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{name}.sql").write_text(sql + "\n")
        model = {"name": name, **({"description": description} if description else {})}
        properties: dict[str, Any] = {"version": 2, "models": [{**model, "columns": columns}]}
        if name in PLANTED_UNIT_TESTS:
            rows = [{"integration_key": "crm"}]
            given = [{"input": "ref('dim_integrations')", "rows": rows}]
            test = {"name": PLANTED_UNIT_TESTS[name], "model": name, "given": given}
            properties["unit_tests"] = [{**test, "expect": {"rows": rows}}]
        (directory / f"{name}.yml").write_text(yaml.safe_dump(properties, sort_keys=False))

    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(project),
        "IA_DUCKDB_PATH": str(tmp_path / "parse.duckdb"),
    }
    warm_dbt.run(
        [str(BIN / "dbt"), "parse", "--quiet", "--target-path", str(project / "target")],
        cwd=project,
        env=env,
        check=True,
    )

    code, output, failures = bouncer(project / "target", tmp_path, "--only", "manifest_checks")

    assert code != 0
    assert set(failures) == PLANTED_FAILURES, output
    assert "check_model_has_primary_key_test" in output
    assert (
        "`fct_alert_keys` has no primary-key test"
        in failures[("check_model_has_primary_key_test", "fct_alert_keys")]
    )
    assert (
        "['mystery']" in failures[("check_model_column_description_populated", "dim_undocumented")]
    )
    assert (
        "`int_seven_parents` has 7 parents"
        in failures[("check_model_max_parents", "int_seven_parents")]
    )
    assert "seed.plan_limits" in failures[("check_model_max_parents", "int_seven_parents")]
    assert (
        "`int_hidden_parent` reads seed.integration_adoption.plan_limits"
        in failures[("check_model_parents_are_visible", "int_hidden_parent")]
    )
    assert (
        "`fct_long_model` has 201 lines"
        in failures[("check_model_max_number_of_lines", "fct_long_model")]
    )
    assert (
        f"`{LONG_UNIT_TEST}` of `int_misplaced` has a name of 61 characters"
        in failures[("check_unit_test_name_length", "int_misplaced")]
    )


# ---------- the catalog checks and an exposure, on the artifacts of `make docs`


def test_undeclared_and_undescribed_columns_and_an_ownerless_exposure_fail(
    tmp_path: Path,
) -> None:
    built = ROOT / "target"
    if not (built / "catalog.json").exists():
        pytest.fail(f"no catalog in {built}: run `make docs` (after `make test-dbt`) first")
    artifacts = tmp_path / "target"
    artifacts.mkdir()
    shutil.copy(built / "catalog.json", artifacts / "catalog.json")
    manifest = json.loads((built / "manifest.json").read_text())
    nodes = manifest["nodes"]

    def node(name: str) -> dict[str, Any]:
        # public marts are versioned: model.<project>.<name>.v<N>
        unversioned = f"model.{PROJECT}.{name}"
        return nodes.get(unversioned) or nodes[f"{unversioned}.v1"]

    # a public mart's column is in the warehouse but not in its YAML
    del node("fct_integration_alerts")["columns"]["severity"]
    # a public mart's column is declared without a description
    node("dim_accounts")["columns"]["segment"]["description"] = ""
    # a protected model's column is undeclared: only the every-column check applies
    del node("int_accounts")["columns"]["segment"]
    # the alert feed loses its owner's name
    manifest["exposures"][f"exposure.{PROJECT}.integration_alerts_feed"]["owner"]["name"] = None
    (artifacts / "manifest.json").write_text(json.dumps(manifest))

    code, output, failures = bouncer(artifacts, tmp_path)
    # dbt-bouncer 4.0.0 skips the catalog of versioned models: the project's
    # own check applies the same column rules to them (make conventions runs both)
    versioned = list(
        versioned_catalog.failures(manifest, json.loads((artifacts / "catalog.json").read_text()))
    )
    failures.update({(rule, model): message for rule, model, message in versioned})

    assert code != 0
    assert set(failures) == {
        ("check_columns_are_all_documented", "fct_integration_alerts"),
        ("check_columns_are_documented_in_public_models", "fct_integration_alerts"),
        ("check_model_column_description_populated", "dim_accounts"),
        ("check_columns_are_documented_in_public_models", "dim_accounts"),
        ("check_columns_are_all_documented", "int_accounts"),
        ("check_exposure_has_owner", "integration_alerts_feed"),
    }, output


# ---------- YAML written for people (/work/shared/style.md "Sizes")


def yaml_for_people_problems(path: Path) -> list[str]:
    """What makes a YAML file machine-like: anchors or aliases (a reader must find
    the anchor to know a column's tests), and Jinja split across lines."""
    text = path.read_text()
    problems = [
        f"{path.name}:{event.start_mark.line + 1}: YAML {kind} &{event.anchor}"
        for event in yaml.parse(text)
        for kind in ("anchor" if not isinstance(event, yaml.AliasEvent) else "alias",)
        if getattr(event, "anchor", None)
    ]
    for number, line in enumerate(text.splitlines(), start=1):
        for opening, closing in (("{{", "}}"), ("{%", "%}")):
            if line.count(opening) != line.count(closing):
                problems.append(
                    f"{path.name}:{number}: Jinja {opening} … {closing} split across lines"
                )
    return problems


def test_model_yaml_has_no_anchors_and_no_split_jinja() -> None:
    problems = [
        problem
        for path in sorted((ROOT / "models").rglob("*.yml"))
        for problem in yaml_for_people_problems(path)
    ]
    assert problems == []


def test_an_anchor_and_split_jinja_are_found(tmp_path: Path) -> None:
    planted = tmp_path / "planted.yml"
    planted.write_text(
        "models:\n"
        "- name: m\n"
        "  columns:\n"
        "  - name: a\n"
        "    data_tests: &id001\n"
        "    - not_null\n"
        "  - name: b\n"
        "    data_tests: *id001\n"
        "    description: '{{\n"
        '      doc("b") }}\'\n'
    )
    assert yaml_for_people_problems(planted) == [
        "planted.yml:5: YAML anchor &id001",
        "planted.yml:8: YAML alias &id001",
        "planted.yml:9: Jinja {{ … }} split across lines",
        "planted.yml:10: Jinja {{ … }} split across lines",
    ]
