"""The semantic layer (models/semantic_layer/) queried through MetricFlow.

`dbt parse` writes the semantic manifest; MetricFlow's own validator must
accept it; then metrics are queried through MetricFlow's Python API on DuckDB
and compared with the same numbers read from the marts directly, on the
warehouse `make test` built, and on small hand-built marts whose expected
values were worked out by hand (the non-additive, last-day-of-period rule and
the ratio-of-sums rule).
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from integration_adoption.semantic_layer.engine import (
    SemanticLayer,
    load_manifest,
    validation_errors,
)

from .conftest import ROOT, TEST_DATABASE

# What the issue asks the layer to answer; each must exist and be described.
REQUIRED_METRICS = {
    "activation_rate",
    "retention_30d_rate",
    "retention_90d_rate",
    "active_connections",
    "silent_failure_rate",
    "health_score",
    "alerts",
    "retention_matched_lift_points",
}


@pytest.fixture(scope="session")
def manifest_dir(parsed_target: Path) -> Path:
    """The `dbt parse` target folder (conftest, shared with the manifest tests): the
    relations' database is the test warehouse's file stem."""
    return parsed_target


@pytest.fixture(scope="session")
def layer(manifest_dir: Path, con: duckdb.DuckDBPyConnection) -> SemanticLayer:
    return SemanticLayer(load_manifest(manifest_dir), con)


def frame(con: duckdb.DuckDBPyConnection, query: str) -> pd.DataFrame:
    return con.execute(query).df()


def as_date(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series).dt.date


def assert_same(actual: pd.DataFrame, expected: pd.DataFrame, keys: list[str]) -> None:
    """Same rows (matched on keys) and the same values, floats to 1e-9."""
    assert len(actual) == len(expected), (actual, expected)
    merged = actual.merge(expected, on=keys, how="outer", suffixes=("_mf", "_mart"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    for column in actual.columns.difference(keys):
        for got, want in zip(merged[f"{column}_mf"], merged[f"{column}_mart"], strict=True):
            if want is None or (isinstance(want, float) and math.isnan(want)):
                assert got is None or (isinstance(got, float) and math.isnan(got)), column
            else:
                assert float(got) == pytest.approx(float(want), abs=1e-9), column


# ---------- the command line (README "Look at the results")


def _cli(manifest_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            *(sys.executable, "-m", "integration_adoption.semantic_layer"),
            *("--database", str(TEST_DATABASE), "--target-path", str(manifest_dir), *args),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_cli_prints_csv_sorted_by_the_group_by(
    manifest_dir: Path, con: duckdb.DuckDBPyConnection
) -> None:
    done = _cli(manifest_dir, "--metrics", "activation_rate", "--group-by", "integration")
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header == "integration,activation_rate"
    integrations = con.execute(
        "select distinct integration_key from marts.fct_integration_funnel "
        "where integration_key != 'all'"
    ).fetchall()
    assert [row.split(",")[0] for row in rows] == sorted(key for (key,) in integrations)


def test_cli_reads_a_warehouse_of_another_name_than_the_manifests(
    manifest_dir: Path, tmp_path: Path
) -> None:
    """target/ names the database dbt last parsed for (`test` after make test);
    the demo warehouse (`integration_adoption`) must answer all the same."""
    other = tmp_path / "integration_adoption.duckdb"
    shutil.copyfile(TEST_DATABASE, other)  # a copy: DuckDB names a symlink's catalog by its target
    query = ("--metrics", "activation_rate", "--group-by", "integration")
    expected = _cli(manifest_dir, *query)
    done = _cli(manifest_dir, *query, "--database", str(other))
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected.stdout != ""


def test_cli_answers_a_bad_group_by_with_metricflows_message_alone(manifest_dir: Path) -> None:
    done = _cli(manifest_dir, "--metrics", "activation_rate", "--group-by", "integrationz")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert "Suggestions" in done.stderr and "'integration'" in done.stderr


# ---------- the YAML itself


def test_semantic_manifest_is_valid(manifest_dir: Path) -> None:
    manifest = load_manifest(manifest_dir)
    assert validation_errors(manifest) == []
    metrics = {metric.name: metric for metric in manifest.metrics}
    assert metrics.keys() >= REQUIRED_METRICS
    assert all(metric.description for metric in metrics.values())
    assert [spine.node_relation.alias for spine in manifest.project_configuration.time_spines] == [
        "dim_dates"
    ]


def test_time_spine_covers_every_metric_date(con: duckdb.DuckDBPyConnection) -> None:
    """dim_dates has no gaps and holds every date a metric can be dated by."""
    first, last, days, span = con.execute(
        "select min(calendar_date), max(calendar_date), count(*), "
        "datediff('day', min(calendar_date), max(calendar_date)) + 1 from marts.dim_dates"
    ).fetchone()
    assert days == span
    dated = con.execute(
        """
        select min(d), max(d) from (
            select installed_date as d from marts.fct_connection_funnel
            union all select activity_date from marts.fct_integration_adoption_daily
            union all select score_date from marts.fct_account_health_daily
            union all select fired_date from marts.fct_integration_alerts
            union all select t0_date from marts.fct_integration_impact
        )
        """
    ).fetchone()
    assert first <= dated[0] and dated[1] <= last


# ---------- metrics on the test warehouse vs the marts


def test_activation_rate_by_integration_matches_funnel(
    layer: SemanticLayer, con: duckdb.DuckDBPyConnection
) -> None:
    metrics = ["activation_rate", "activated_connections", "activation_observable_connections"]
    actual = layer.query(metrics, ["integration"]).rename(columns={"integration": "key"})
    expected = frame(
        con,
        """
        select integration_key as key, activation_rate, activated_connections,
            activation_observable_connections
        from marts.fct_integration_funnel
        where cohort_grain = 'month' and install_cohort = 'all' and segment = 'all'
            and integration_key <> 'all'
        """,
    )
    assert len(expected) >= 5
    assert_same(actual, expected, ["key"])

    overall = layer.query(["activation_rate"])
    (want,) = con.execute(
        "select activation_rate from marts.fct_integration_funnel "
        "where cohort_grain = 'week' and install_cohort = 'all' and segment = 'all' "
        "and integration_key = 'all'"
    ).fetchone()
    assert overall["activation_rate"].item() == pytest.approx(want, abs=1e-12)


def test_retention_by_segment_and_install_month_matches_funnel(
    layer: SemanticLayer, con: duckdb.DuckDBPyConnection
) -> None:
    """A month of metric_time is an install cohort of cohort_grain month."""
    actual = layer.query(
        ["retention_30d_rate", "retention_90d_rate"],
        ["connection__segment", "metric_time__month"],
    ).rename(columns={"connection__segment": "segment", "metric_time__month": "cohort"})
    actual["cohort"] = as_date(actual["cohort"])
    expected = frame(
        con,
        """
        select segment, cohort_start_date as cohort, retention_30d_rate, retention_90d_rate
        from marts.fct_integration_funnel
        where cohort_grain = 'month' and integration_key = 'all'
            and install_cohort <> 'all' and segment <> 'all'
        """,
    )
    expected["cohort"] = as_date(expected["cohort"])
    assert expected["retention_90d_rate"].notna().sum() >= 10
    assert_same(actual, expected, ["segment", "cohort"])


def test_health_score_by_segment_is_the_mean_account_score(
    layer: SemanticLayer, con: duckdb.DuckDBPyConnection
) -> None:
    """Segment through the account entity (dim_accounts) vs the health mart's own segment."""
    actual = layer.query(["health_score", "scored_accounts"], ["account__segment"]).rename(
        columns={"account__segment": "segment"}
    )
    expected = frame(
        con,
        """
        select segment, avg(health_score) as health_score, count(*) as scored_accounts
        from marts.fct_account_health_daily
        where score_date = (select max(score_date) from marts.fct_account_health_daily)
        group by segment
        """,
    )
    assert len(expected) >= 3
    assert_same(actual, expected, ["segment"])


def test_active_connections_and_silent_failures_by_category_and_month(
    layer: SemanticLayer, con: duckdb.DuckDBPyConnection
) -> None:
    actual = layer.query(
        ["active_connections", "silent_failure_rate"],
        ["integration__category", "metric_time__month"],
    ).rename(columns={"integration__category": "category", "metric_time__month": "month"})
    actual["month"] = as_date(actual["month"])
    expected = frame(
        con,
        """
        with daily as (
            select
                integrations.category,
                cast(date_trunc('month', adoption.activity_date) as date) as month,
                adoption.*,
                max(adoption.activity_date) over (
                    partition by date_trunc('month', adoption.activity_date)
                ) as last_day
            from marts.fct_integration_adoption_daily as adoption
            inner join marts.dim_integrations as integrations
                on adoption.integration_key = integrations.integration_key
        )
        select category, month, sum(active_connections) as active_connections,
            sum(failing_connections) / nullif(sum(live_connections), 0) as silent_failure_rate
        from daily
        where activity_date = last_day
        group by category, month
        """,
    )
    expected["month"] = as_date(expected["month"])
    assert_same(actual, expected, ["category", "month"])


def test_active_connections_now_match_the_integration_dimension(
    layer: SemanticLayer, con: duckdb.DuckDBPyConnection
) -> None:
    """Without metric_time a stock is read on the as-of date: the current states
    that dim_integrations counts from dim_connections, a separate computation."""
    actual = layer.query(
        ["active_connections", "failing_connections", "dormant_connections"], ["integration"]
    ).rename(columns={"integration": "integration_key"})
    expected = frame(
        con,
        "select integration_key, active_connections, failing_connections, dormant_connections "
        "from marts.dim_integrations where installed_connections > 0",
    )
    assert_same(actual, expected, ["integration_key"])


def test_alert_counts_by_type(layer: SemanticLayer, con: duckdb.DuckDBPyConnection) -> None:
    actual = layer.query(["alerts"], ["alert__alert_type"]).rename(
        columns={"alert__alert_type": "alert_type"}
    )
    expected = frame(
        con,
        "select alert_type, count(*) as alerts from marts.fct_integration_alerts group by 1",
    )
    assert len(expected) >= 3
    assert_same(actual, expected, ["alert_type"])
    typed = layer.query(["activation_stalled_alerts", "expansion_ready_alerts"])
    counts = dict(zip(expected["alert_type"], expected["alerts"], strict=True))
    assert typed["activation_stalled_alerts"].item() == counts.get("activation_stalled")
    assert typed["expansion_ready_alerts"].item() == counts.get("expansion_ready")


def test_matched_lift_by_integration_and_overall(
    layer: SemanticLayer, con: duckdb.DuckDBPyConnection
) -> None:
    actual = layer.query(
        ["retention_matched_lift_points", "retention_naive_lift_points"], ["integration"]
    ).rename(columns={"integration": "integration_key"})
    expected = frame(
        con,
        """
        select integration_key, lift_points as retention_matched_lift_points,
            naive_difference_points as retention_naive_lift_points
        from marts.fct_integration_impact
        where outcome = 'retained'
        """,
    )
    assert expected["retention_matched_lift_points"].notna().sum() >= 3
    assert_same(actual, expected, ["integration_key"])

    rows = expected.merge(
        frame(
            con,
            "select integration_key, matched_treated_accounts from marts.fct_integration_impact "
            "where outcome = 'retained'",
        ),
        on="integration_key",
    ).dropna()
    weights = rows["matched_treated_accounts"]
    want = (rows["retention_matched_lift_points"] * weights).sum() / weights.sum()
    overall = layer.query(["retention_matched_lift_points"])
    assert overall["retention_matched_lift_points"].item() == pytest.approx(want, abs=1e-9)


# ---------- hand-built marts, hand-worked expectations

SCENARIO_TABLES = {
    "dim_integrations": (
        "integration_key varchar, display_name varchar, category varchar, "
        "integration_kind varchar, intended_cadence varchar",
        [
            ("x", "X", "crm", "sync", "daily"),
            ("y", "Y", "crm", "sync", "daily"),
            ("z", "Z", "messaging", "action", "situational"),
        ],
    ),
    # integration, day, live, active, failing: live = active + failing here
    "fct_integration_adoption_daily": (
        "integration_key varchar, activity_date date, live_connections bigint, "
        "active_connections bigint, failing_connections bigint, dormant_connections bigint, "
        "not_activated_connections bigint, installed_to_date_connections bigint, "
        "rhythm_met_connections bigint, uninstalled_on_day_connections bigint",
        [
            (key, day, live, live - failing, failing, 0, 0, live, 0, 0)
            for key, day, live, failing in [
                ("x", "2025-01-30", 10, 1),
                ("x", "2025-01-31", 10, 3),
                ("x", "2025-02-01", 8, 2),
                ("y", "2025-01-30", 5, 0),
                ("y", "2025-01-31", 6, 1),
                ("y", "2025-02-01", 6, 0),
                ("z", "2025-01-31", 4, 4),
                ("z", "2025-02-01", 4, 1),
            ]
        ],
    ),
    "dim_accounts": (
        "account_id varchar, segment varchar, current_plan varchar, industry varchar, "
        "size_band varchar, country varchar, is_paying boolean, is_known_account boolean",
        [
            ("a1", "smb", "starter", "retail", "<50", "DE", True, True),
            ("a2", "smb", "growth", "retail", "<50", "DE", True, True),
            ("a3", "enterprise", "enterprise", "finance", "1000+", "US", True, True),
        ],
    ),
    "fct_account_health_daily": (
        "account_id varchar, score_date date, health_band varchar, trend varchar, "
        "health_score double",
        [
            ("a1", "2025-02-01", "at_risk", "flat", 40.0),
            ("a2", "2025-02-01", "healthy", "flat", 80.0),
            ("a3", "2025-02-01", "healthy", "flat", 90.0),
            ("a1", "2025-02-02", "at_risk", "up", 45.0),
            ("a2", "2025-02-02", "needs_attention", "down", 72.0),
            ("a3", "2025-02-02", "healthy", "up", 99.0),
        ],
    ),
}


@pytest.fixture
def scenario(manifest_dir: Path, tmp_path: Path) -> Iterator[SemanticLayer]:
    """The marts above in a DuckDB file with the test warehouse's name, so the
    relations the manifest names resolve to them."""
    connection = duckdb.connect(str(tmp_path / f"{TEST_DATABASE.stem}.duckdb"))
    connection.execute("create schema marts")
    for table, (columns, rows) in SCENARIO_TABLES.items():
        connection.execute(f"create table marts.{table} ({columns})")
        width = len(rows[0])
        connection.executemany(
            f"insert into marts.{table} values ({', '.join(['?'] * width)})", rows
        )
    connection.execute(
        "create table marts.dim_dates as select cast(d as date) as calendar_date "
        "from generate_series(date '2025-01-01', date '2025-02-28', interval 1 day) as t(d)"
    )
    yield SemanticLayer(load_manifest(manifest_dir), connection)
    connection.close()


def test_silent_failure_rate_reads_the_last_day_and_sums_before_dividing(
    scenario: SemanticLayer,
) -> None:
    result = scenario.query(
        ["silent_failure_rate", "failing_connections"],
        ["integration__category", "metric_time__month"],
    )
    got = {
        (row.integration__category, str(row.metric_time__month)[:7]): (
            row.silent_failure_rate,
            row.failing_connections,
        )
        for row in result.itertuples()
    }
    # January reads Jan 31: crm (3 + 1) / (10 + 6) = 0.25 — not the mean of
    # the integrations' rates (0.3, 0.167), nor summed over days (5 / 31).
    assert got[("crm", "2025-01")] == (pytest.approx(0.25), 4)
    assert got[("messaging", "2025-01")] == (pytest.approx(1.0), 4)
    # February reads Feb 1: crm (2 + 0) / (8 + 6), messaging 1 / 4.
    assert got[("crm", "2025-02")] == (pytest.approx(2 / 14), 2)
    assert got[("messaging", "2025-02")] == (pytest.approx(0.25), 1)
    # No metric_time: the latest day, all integrations: 3 / 18.
    overall = scenario.query(["silent_failure_rate", "active_connections"])
    assert overall["silent_failure_rate"].item() == pytest.approx(3 / 18)
    assert overall["active_connections"].item() == 6 + 6 + 3


def test_health_score_weights_accounts_not_segments(scenario: SemanticLayer) -> None:
    by_segment = scenario.query(["health_score"], ["account__segment"])
    got = dict(zip(by_segment["account__segment"], by_segment["health_score"], strict=True))
    # The latest day, Feb 2: smb (45 + 72) / 2, enterprise 99.
    assert got == {"smb": pytest.approx(58.5), "enterprise": pytest.approx(99.0)}
    overall = scenario.query(["health_score", "at_risk_accounts", "at_risk_account_rate"])
    # (45 + 72 + 99) / 3 = 72, not the mean of the segment means (78.75).
    assert overall["health_score"].item() == pytest.approx(72.0)
    assert overall["at_risk_accounts"].item() == 1
    assert overall["at_risk_account_rate"].item() == pytest.approx(1 / 3)
    by_plan = scenario.query(["health_score"], ["account__plan", "metric_time__day"])
    first_day = by_plan[by_plan["metric_time__day"].astype(str).str.startswith("2025-02-01")]
    assert dict(zip(first_day["account__plan"], first_day["health_score"], strict=True)) == {
        "starter": pytest.approx(40.0),
        "growth": pytest.approx(80.0),
        "enterprise": pytest.approx(90.0),
    }
