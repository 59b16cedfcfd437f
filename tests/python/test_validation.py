"""The great-expectations checkpoint: passes on the test warehouse, fails on broken copies.

The passing run validates every mart and raw table of `make test`'s warehouse
and writes the Data Docs. The failing runs break a copy on purpose — a rate of
1.5, a duplicated grain row, a funnel stage above the one before, a raw table
off its contract or beyond its plausibility threshold — and check that the
command exits non-zero with a message naming exactly the broken expectations.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from integration_adoption.validation import accepted_values, grain, loading
from integration_adoption.validation.cli import EXIT_FAILED, main
from integration_adoption.validation.manifest import declared_tests, load_declared_tests
from integration_adoption.validation.marts import MARTS
from integration_adoption.validation.ranges import classify
from integration_adoption.validation.reference import PROJECT_DIR, load_reference

from .conftest import TEST_DATABASE, TEST_RAW

FAILED_LINE = re.compile(r"^FAILED  suite (\S+)  table (\S+)  (\S+)(?:  column (.+))?$")


def failed(output: str) -> set[tuple[str, str, str | None]]:
    """(suite, expectation, column) of every FAILED line of the command's output."""
    found = set()
    for line in output.splitlines():
        match = FAILED_LINE.match(line)
        if match:
            found.add((match.group(1), match.group(3), match.group(4)))
    return found


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--quiet", *args])
    return code, capsys.readouterr().out


@pytest.fixture(scope="module")
def passing_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    if not TEST_DATABASE.exists():
        pytest.fail(f"no warehouse at {TEST_DATABASE}: run `make test-dbt` first")
    docs = tmp_path_factory.mktemp("gx_docs")
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        code = main(
            [
                "--database",
                str(TEST_DATABASE),
                "--raw-data-path",
                str(TEST_RAW),
                "--docs-dir",
                str(docs),
            ]
        )
    return code, output.getvalue(), docs


def test_checkpoint_passes_on_the_test_warehouse(passing_run):
    code, output, _ = passing_run
    assert code == 0, output
    assert failed(output) == set()
    for table in MARTS:
        assert re.search(rf"^marts\.{table}\s+[\d,]+ rows\s+\d+ expectations .* ok$", output, re.M)
    for table in ("integration_events", "accounts", "account_monthly"):
        assert re.search(rf"^raw\.{table}\s+[\d,]+ rows .* ok$", output, re.M)


def test_data_docs_index_lists_every_suite(passing_run):
    _, _, docs = passing_run
    index = docs / "index.html"
    assert index.exists()
    html = index.read_text(encoding="utf-8")
    for table in MARTS:
        assert f"marts.{table}" in html
    assert "raw.integration_events" in html
    assert list((docs / "validations").rglob("*.html"))


def test_every_public_mart_has_a_suite_with_its_grain(con):
    present = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    assert set(MARTS) <= present
    declared = load_declared_tests(PROJECT_DIR / "target" / "manifest.json")
    assert [mart for mart in MARTS if declared.grain(mart) is None] == []


@pytest.fixture
def broken_warehouse(tmp_path: Path) -> tuple[Path, tuple[int, int]]:
    """A copy of the test warehouse with three marts broken on purpose."""
    copy = tmp_path / "broken.duckdb"
    shutil.copyfile(TEST_DATABASE, copy)
    overall = (
        "integration_key = 'salesforce' and cohort_grain = 'month' "
        "and install_cohort = 'all' and segment = 'all'"
    )
    with duckdb.connect(str(copy)) as writer:
        writer.execute(
            f"update marts.fct_integration_funnel set activation_rate = 1.5 where {overall}"
        )
        # one more retained connection than were observable for it
        writer.execute(
            "update marts.fct_integration_funnel set retained_30d_connections "
            f"= retained_30d_observable_connections + 1 where {overall}"
        )
        row = writer.execute(
            "select retained_30d_observable_connections "
            f"from marts.fct_integration_funnel where {overall}"
        ).fetchone()
        assert row is not None
        writer.execute(
            "insert into marts.fct_account_health_daily "
            "select * from marts.fct_account_health_daily order by account_id, score_date limit 1"
        )
    observable = int(row[0])
    return copy, (observable, observable + 1)


def test_broken_marts_fail_naming_each_broken_expectation(capsys, tmp_path, broken_warehouse):
    copy, (observable, retained) = broken_warehouse
    code, output = validate(
        capsys,
        "--database",
        str(copy),
        "--layer",
        "marts",
        "--table",
        "fct_integration_funnel",
        "--table",
        "fct_account_health_daily",
        "--docs-dir",
        str(tmp_path / "docs"),
    )
    assert code == EXIT_FAILED
    assert failed(output) == {
        (
            "marts.fct_integration_funnel",
            "expect_column_values_to_be_between",
            "activation_rate",
        ),
        (
            "marts.fct_integration_funnel",
            "expect_column_pair_values_a_to_be_greater_than_b",
            "retained_30d_observable_connections ≥ retained_30d_connections",
        ),
        (
            "marts.fct_account_health_daily",
            "expect_compound_columns_to_be_unique",
            "account_id, score_date",
        ),
    }
    # the observed values: the bad rate, the out-of-order pair, the duplicated key twice
    assert "sample [1.5]" in output
    assert f"sample [({observable}, {retained})]" in output
    assert re.search(r"2 of [\d,]+ rows unexpected .*'account_id': 'acc_\d+'", output)
    assert "FAILED: 3 failed" in output


@pytest.fixture
def broken_raw(tmp_path: Path) -> Path:
    """Raw data whose accounts break the contract and whose account_monthly is implausible."""
    raw = tmp_path / "raw"
    for table in ("accounts", "account_monthly"):
        (raw / table).mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute(
            "copy (select * exclude (country) replace (cast(employee_count as varchar) as "
            f"employee_count) from read_parquet('{TEST_RAW}/accounts/*.parquet')) "
            f"to '{raw}/accounts/part-00000.parquet' (format parquet)"
        )
        # every tenth row on a plan no seed knows: 10% > the 5% the threshold allows
        con.execute(
            "copy (select * replace (case when row_number() over (order by account_id, month) "
            "% 10 = 0 then 'platinum' else plan end as plan) "
            f"from read_parquet('{TEST_RAW}/account_monthly/*.parquet')) "
            f"to '{raw}/account_monthly/part-00000.parquet' (format parquet)"
        )
    return raw


def test_raw_off_contract_or_implausible_fails(capsys, tmp_path, broken_raw):
    code, output = validate(
        capsys,
        "--raw-data-path",
        str(broken_raw),
        "--layer",
        "raw",
        "--table",
        "accounts",
        "--table",
        "account_monthly",
        "--docs-dir",
        str(tmp_path / "docs"),
    )
    assert code == EXIT_FAILED
    assert failed(output) == {
        (
            "raw.accounts",
            "expect_table_columns_to_match_set",
            "account_id, account_name, "
            "segment, industry, employee_count, country, created_at, loaded_at",
        ),
        ("raw.accounts", "expect_column_type_to_be", "employee_count"),
        ("raw.accounts", "expect_column_type_to_be", "country"),
        # text is not a number at all, let alone one ≥ 0
        ("raw.accounts", "expect_column_values_to_be_between", "employee_count"),
        ("raw.account_monthly", "expect_column_values_to_be_in_set", "plan"),
    }
    assert "observed 'string[pyarrow]'" in output
    # 1,065 of the 10,659 rows (every tenth) are on the unknown plan: 9.99% > 5%
    assert "1,065 of 10,659 rows unexpected (9.99%); mostly 0.95 required; sample ['platinum'" in (
        output
    )


def test_reading_waits_for_a_writer_to_release_the_warehouse(tmp_path):
    database = tmp_path / "locked.duckdb"
    with duckdb.connect(str(database)) as writer:
        writer.execute("create schema marts")
        writer.execute("create table marts.dim_integrations as select 'slack' as integration_key")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time\n"
            f"con = duckdb.connect({str(database)!r})\n"
            "print('locked', flush=True)\n"
            "time.sleep(3)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(loading.WarehouseUnavailableError):
            loading.read_marts(database, ["dim_integrations"], timeout_seconds=0.5)
        started = time.monotonic()
        frames, present = loading.read_marts(database, ["dim_integrations"], timeout_seconds=60)
        assert time.monotonic() - started > 0.5
    finally:
        holder.wait(timeout=60)
    assert present == ["dim_integrations"]
    assert frames["dim_integrations"]["integration_key"].tolist() == ["slack"]


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        ("activation_rate", "fraction"),
        ("success_rate_7d", "fraction"),
        ("scheduled_share_30d", "fraction"),
        ("score_percentile", "fraction"),
        ("first_value_loss", "fraction"),
        ("retention_floor", "fraction"),
        ("health_score", "score"),
        ("segment_mean_health_score", "score"),
        ("score_change_30d", "score change"),
        ("retained_90d_observable_connections", "non-negative quantity"),
        ("active_connections_at_t0", "non-negative quantity"),
        ("median_time_to_first_value_days", "non-negative quantity"),
        ("records_growth_30d", None),
        ("lift_points", None),
        ("standardized_mean_difference_after", None),
    ],
)
def test_range_by_column_name(column, kind):
    found = classify(column)
    assert (found.name if found else None) == kind


# ---------- grains and accepted values come from the manifest


def declared_test(
    model: str, name: str, kwargs: dict, column: str | None = None, where=None
) -> dict:
    return {
        "unique_id": f"test.p.{name}_{model}_{column or 'grain'}",
        "resource_type": "test",
        "attached_node": f"model.p.{model}",
        "column_name": column,
        "test_metadata": {"name": name, "kwargs": kwargs},
        "config": {"where": where},
    }


def model_node(name: str, version: int | None = None, latest: int | None = None) -> dict:
    suffix = f".v{version}" if version is not None else ""
    return {
        "unique_id": f"model.p.{name}{suffix}",
        "resource_type": "model",
        "name": name,
        "version": version,
        "latest_version": latest,
    }


def hand_made_manifest() -> dict:
    nodes = [
        model_node("fct_alerts"),
        model_node("fct_daily", 1, 2),
        model_node("fct_daily", 2, 2),
        declared_test("fct_alerts", "unique", {"column_name": "alert_id"}, "alert_id"),
        declared_test("fct_alerts", "not_null", {"column_name": "alert_id"}, "alert_id"),
        declared_test("fct_alerts", "not_null", {"column_name": "account_id"}, "account_id"),
        declared_test(
            "fct_alerts",
            "unique_combination_of_columns",
            {"combination_of_columns": ["alert_type", "fired_date"]},
        ),
        declared_test(
            "fct_alerts",
            "accepted_values",
            {"values": ["up", "down"], "column_name": "trend"},
            "trend",
        ),
        # Jinja the manifest keeps unrendered, and a test on a subset of rows: ignored
        declared_test(
            "fct_alerts",
            "accepted_values",
            {"values": "{{ var('segments') }}", "column_name": "segment"},
            "segment",
        ),
        declared_test(
            "fct_alerts", "unique", {"column_name": "account_id"}, "account_id", where="x > 1"
        ),
        # the old version's grain is not the relation consumers read
        declared_test("fct_daily.v1", "unique", {"column_name": "day"}, "day"),
        declared_test(
            "fct_daily.v2",
            "unique_combination_of_columns",
            {"combination_of_columns": ["account_id", "day"]},
        ),
    ]
    return {"nodes": {node["unique_id"]: node for node in nodes}}


def test_grains_and_values_are_read_from_the_manifest():
    declared = declared_tests(hand_made_manifest())
    assert declared.keys == {
        "fct_alerts": (("alert_id",), ("alert_type", "fired_date")),
        "fct_daily": (("account_id", "day"),),
    }
    assert declared.not_null == {"fct_alerts": ("account_id", "alert_id")}  # by test id
    assert declared.accepted_values == {"fct_alerts": {"trend": ("up", "down")}}


def test_expectations_follow_what_the_yaml_declares():
    reference = replace(load_reference(), declared=declared_tests(hand_made_manifest()))
    expected = grain.expectations("fct_alerts", [], reference)
    assert [(type(e).__name__, e.description) for e in expected] == [
        ("ExpectColumnValuesToBeUnique", "grain of fct_alerts: one row per (alert_id)"),
        (
            "ExpectCompoundColumnsToBeUnique",
            "natural key of fct_alerts: one row per (alert_type, fired_date)",
        ),
        ("ExpectColumnValuesToNotBeNull", "alert_id of fct_alerts is never null"),
        ("ExpectColumnValuesToNotBeNull", "account_id of fct_alerts is never null"),
    ]
    # a column of another mart with the same name takes the declared values too
    (in_set,) = accepted_values.expectations("fct_other", ["trend", "unlabelled"], reference)
    assert (in_set.column, in_set.value_set) == ("trend", ["up", "down"])


def test_raw_tables_are_those_of_the_sources_the_build_enabled(tmp_path):
    """A first build leaves the optional partner source off (its raw table absent):
    the raw layer checks only the tables of the sources the manifest has, each with
    the types its contract declares."""

    def source(source_name: str, table: str, columns: dict[str, str]) -> dict:
        return {
            "unique_id": f"source.integration_adoption.{source_name}.{table}",
            "source_name": source_name,
            "name": table,
            "columns": {c: {"name": c, "data_type": t} for c, t in columns.items()},
        }

    events = source(
        "product", "integration_events", {"event_id": "varchar", "loaded_at": "TIMESTAMP"}
    )
    partner = source("partner_webhooks", "partner_webhook_deliveries", {"delivery_id": "varchar"})
    path = tmp_path / "manifest.json"
    for sources in ([events], [events, partner]):
        path.write_text(json.dumps({"nodes": {}, "sources": {s["unique_id"]: s for s in sources}}))
        contracts = load_reference(manifest=path).raw_contracts
        assert sorted(contracts) == sorted(s["name"] for s in sources)
    assert contracts["integration_events"].columns == {
        "event_id": "string[pyarrow]",
        "loaded_at": "timestamp[us][pyarrow]",
    }
    assert contracts["partner_webhook_deliveries"].source == "partner_webhooks"
