"""The dashboard's filters against the test warehouse, and the snapshot it reads.

Each expected value comes from a different place than the query under test:
the marts' own roll-up rows (built by dbt), the per-connection drill-down
mart, or dim_integrations' current counts. A filter that is ignored, or a
rate averaged instead of recomputed from its counts, fails here.
"""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from integration_adoption.dashboard import figures, queries
from integration_adoption.dashboard.queries import Filters
from integration_adoption.dashboard.snapshot import publish

from .conftest import TEST_DATABASE


@pytest.fixture(scope="module")
def full(con) -> Filters:
    bounds = queries.bounds(con)
    return Filters(start=bounds.first_date, end=bounds.as_of_date)


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("segment", ["all", "enterprise", "smb"])
def test_funnel_over_every_cohort_equals_the_marts_all_cohort_row(con, full, segment):
    frame = queries.funnel(con, Filters(full.start, full.end, segment=segment))
    expected = con.execute(
        """
        select integration_key, installed_connections, activated_connections,
            retained_90d_connections, activation_rate, retention_90d_rate, leak_diagnosis,
            funnel_verdict
        from marts.fct_integration_funnel
        where cohort_grain = 'month' and install_cohort = 'all' and segment = ?
            and integration_key != 'all'
        """,
        [segment],
    ).df()
    merged = frame.merge(expected, on="integration_key", suffixes=("", "_mart"))
    assert len(merged) == len(expected) == len(frame) > 0
    for row in merged.itertuples():
        assert row.installed_connections == row.installed_connections_mart
        assert row.activated_connections == row.activated_connections_mart
        assert row.retained_90d_connections == row.retained_90d_connections_mart
        assert close(row.activation_rate, row.activation_rate_mart)
        assert close(row.retention_90d_rate, row.retention_90d_rate_mart)
        assert row.leak_diagnosis == row.leak_diagnosis_mart
        assert row.funnel_verdict == row.funnel_verdict_mart


def test_funnel_date_range_and_integration_keep_only_those_installs(con):
    filters = Filters(dt.date(2025, 1, 1), dt.date(2025, 6, 30), ("slack", "hubspot"), "mid_market")
    frame = queries.funnel(con, filters).set_index("integration_key")
    expected = (
        con.execute(
            """
            select integration_key,
                count(*) as installed,
                count(*) filter (where is_activation_observable) as observable,
                count(*) filter (where is_counted_activated) as activated
            from marts.fct_connection_funnel
            where install_month_date between '2025-01-01' and '2025-06-30'
                and segment = 'mid_market' and integration_key in ('slack', 'hubspot')
            group by integration_key
            """
        )
        .df()
        .set_index("integration_key")
    )
    assert sorted(frame.index) == sorted(expected.index) == ["hubspot", "slack"]
    for key in expected.index:
        assert frame.loc[key, "installed_connections"] == expected.loc[key, "installed"]
        assert (
            frame.loc[key, "activation_observable_connections"] == (expected.loc[key, "observable"])
        )
        assert frame.loc[key, "activated_connections"] == expected.loc[key, "activated"]
        assert close(
            frame.loc[key, "activation_rate"],
            expected.loc[key, "activated"] / expected.loc[key, "observable"],
        )


def test_retention_pooled_over_every_cohort_equals_the_all_cohorts_row(con, full):
    frame = queries.retention_curves(con, full)
    expected = con.execute(
        """
        select integration_key, period_number, observable_connections, retention_rate
        from marts.fct_retention_cohorts
        where period_grain = 'month' and activation_cohort = 'all'
            and integration_key != 'all' and observable_connections > 0
        """
    ).df()
    merged = frame.merge(expected, on=["integration_key", "period_number"], suffixes=("", "_m"))
    assert len(merged) == len(expected) == len(frame) > 0
    assert (merged["observable_connections"] == merged["observable_connections_m"]).all()
    assert all(map(close, merged["retention_rate"], merged["retention_rate_m"]))


def test_heatmap_rows_are_the_activation_cohorts_in_the_range(con):
    frame = queries.cohort_heatmap(con, Filters(dt.date(2025, 3, 1), dt.date(2025, 5, 31)))
    assert sorted({str(day)[:7] for day in frame["cohort_start_date"]}) == [
        "2025-03",
        "2025-04",
        "2025-05",
    ]
    # month 0 is the activation day itself: every activated connection is active on it
    assert (frame.loc[frame["period_number"] == 0, "retention_rate"] == 1).all()


def test_adoption_on_the_as_of_day_matches_dim_integrations(con, full):
    chosen = ("slack", "hubspot")
    frame = queries.adoption_daily(con, Filters(full.start, full.end, chosen))
    last = frame.iloc[-1]
    expected = con.execute(
        """
        select sum(active_connections), sum(failing_connections), sum(dormant_connections)
        from marts.dim_integrations where integration_key in ('slack', 'hubspot')
        """
    ).fetchone()
    assert last["activity_date"].date() == full.end
    assert (
        last["active_connections"],
        last["failing_connections"],
        last["dormant_connections"],
    ) == expected


def test_health_keeps_the_segment_and_the_accounts_of_the_integration(con, full):
    frame = queries.health_latest(con, Filters(full.start, full.end, ("slack",), "enterprise"))
    expected = con.execute(
        """
        select distinct health.account_id
        from marts.fct_account_health_daily as health
        inner join marts.fct_connection_funnel as connections
            on health.account_id = connections.account_id
        where connections.integration_key = 'slack' and health.segment = 'enterprise'
        """
    ).fetchall()
    assert sorted(frame["account_id"]) == sorted(row[0] for row in expected)
    assert frame["account_id"].is_unique and len(frame) > 0


def test_health_histogram_counts_only_the_accounts_scored_on_the_last_day(con, full):
    frame = queries.health_latest(con, Filters(full.start, full.end))
    scored = con.execute(
        """
        select account_id from marts.fct_account_health_daily
        where score_date = (select max(score_date) from marts.fct_account_health_daily)
        """
    ).fetchall()
    shown = frame.loc[frame["is_scored_on_last_day"], "account_id"]
    assert sorted(shown) == sorted(row[0] for row in scored)
    # the test data has churned accounts: scored earlier in the range, not on its last day
    assert len(shown) < len(frame)
    figure = figures.health_distribution(frame)
    assert sum(len(trace.x) for trace in figure.data) == len(shown)


def test_open_alerts_are_the_firings_in_the_window(con, full):
    frame = queries.open_alerts(con, Filters(full.start, full.end, ("slack",)), 30)
    window_start = full.end - dt.timedelta(days=29)
    assert len(frame) > 0
    fired = frame["fired_date"].dt.date
    assert ((fired >= window_start) & (fired <= full.end)).all()
    connection_alerts = con.execute(
        """
        select count(*) from marts.fct_integration_alerts
        where integration_key = 'slack' and fired_date between ? and ?
        """,
        [window_start, full.end],
    ).fetchone()[0]
    assert (frame["integration_key"] == "slack").sum() == connection_alerts
    assert set(frame["integration_key"]) <= {"slack", "(account)"}


def test_impact_keeps_the_outcome_and_the_integrations(con, full):
    frame = queries.impact(con, Filters(full.start, full.end, ("slack", "zendesk")), "nrr")
    assert sorted(frame["integration_key"]) == ["slack", "zendesk"]
    assert (frame["outcome"] == "nrr").all()
    matched = frame.dropna(subset=["lift_points"])
    assert (matched["lift_ci_lower_points"] <= matched["lift_points"]).all()
    assert (matched["lift_points"] <= matched["lift_ci_upper_points"]).all()


def test_impact_carries_the_marts_robust_interval_in_points_and_e_values(con, full):
    frame = queries.impact(con, full, "retained").set_index("integration_key")
    mart = (
        con.execute(
            """
            select integration_key, att, robust_ci_lower, robust_ci_upper, e_value, e_value_ci,
                e_value_note
            from marts.fct_integration_impact where outcome = 'retained'
            """
        )
        .df()
        .set_index("integration_key")
    )
    assert sorted(frame.index) == sorted(mart.index)
    for key, row in mart.iterrows():
        shown = frame.loc[key]
        # the same scale as lift_points (att times 100)
        assert close(shown["lift_points"], row["att"] * 100)
        assert close(shown["robust_ci_lower_points"], row["robust_ci_lower"] * 100)
        assert close(shown["robust_ci_upper_points"], row["robust_ci_upper"] * 100)
        assert close(shown["e_value"], row["e_value"])
        assert close(shown["e_value_ci"], row["e_value_ci"])
        assert shown["e_value_note"] == row["e_value_note"] or (
            shown["e_value_note"] is None and row["e_value_note"] is None
        )


def test_every_balance_level_gets_its_own_row_on_the_plot(con):
    """A categorical axis merges equal labels: two levels must never share one."""
    frame = con.execute(
        "select integration_key, covariate, covariate_level "
        "from marts.fct_integration_impact_balance"
    ).df()
    assert len(frame) > 0
    for key, rows in frame.groupby("integration_key"):
        balance = queries.impact_balance(con, key)
        assert len(balance) == len(rows)
        labels = figures.impact_balance(balance, key).data[0].y
        assert len(set(labels)) == len(labels), key


def test_impact_history_says_so_when_the_mart_is_not_built(full):
    """A snapshot published before the history mart existed: the impact mart only."""
    con = duckdb.connect()
    con.execute(f"attach '{TEST_DATABASE}' as warehouse (read_only)")
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_integration_impact as "
        "select * from warehouse.marts.fct_integration_impact"
    )
    con.execute("detach warehouse")
    assert not queries.has_mart(con, queries.IMPACT_HISTORY)
    assert queries.impact_history(con, full, "nrr") is None
    con.close()
    figure = figures.impact_history(None, {}, "nrr")
    assert "history mart not built" in figure.layout.annotations[0].text


@pytest.fixture
def with_history(full) -> duckdb.DuckDBPyConnection:
    """The test warehouse's history mart (its two years hold only the default T0), beside
    a made-up earlier T0 with different lifts, so the figure has a line to draw."""
    con = duckdb.connect()
    con.execute(f"attach '{TEST_DATABASE}' as warehouse (read_only)")
    con.execute("create schema marts")
    con.execute(
        """
        create table marts.fct_integration_impact_history as
        select * from warehouse.marts.fct_integration_impact_history where is_default_t0
        union all
        select * replace (
            att / 2 as att, lift_points / 2 as lift_points,
            lift_ci_lower_points - 1 as lift_ci_lower_points,
            lift_ci_upper_points + 1 as lift_ci_upper_points,
            t0_date - interval 3 month as t0_date, false as is_default_t0
        )
        from warehouse.marts.fct_integration_impact_history where is_default_t0
        """
    )
    yield con
    con.close()


def test_impact_history_draws_each_integrations_lift_and_band_over_t0(with_history, full):
    # slack, and an integration without a matched lift (no line, no band), if any
    unmatched = with_history.execute(
        "select integration_key from marts.fct_integration_impact_history "
        "where outcome = 'retained' and lift_points is null limit 1"
    ).fetchall()
    keys = ("slack", *(key for (key,) in unmatched))
    filters = Filters(full.start, full.end, keys)
    frame = queries.impact_history(with_history, filters, "retained")
    assert frame is not None
    expected = with_history.execute(
        """
        select t0_date, lift_points, lift_ci_lower_points, lift_ci_upper_points, is_default_t0
        from marts.fct_integration_impact_history
        where integration_key = 'slack' and outcome = 'retained' order by t0_date
        """
    ).df()
    assert set(frame["integration_key"]) == set(keys)
    figure = figures.impact_history(frame, {"slack": "Slack"}, "retained")
    band, line = figure.data
    assert line.name == "Slack"
    assert list(line.x) == [str(day)[:10] for day in expected["t0_date"]]
    assert all(map(close, line.y, expected["lift_points"]))
    edge = [*expected["lift_ci_upper_points"], *expected["lift_ci_lower_points"][::-1]]
    assert all(map(close, band.y, edge))
    default = expected.loc[expected["is_default_t0"], "t0_date"].iloc[0]
    assert {shape.x0 for shape in figure.layout.shapes if shape.x0 == shape.x1} == {
        str(default)[:10]
    }


# ---------- the snapshot
def _warehouse(path: Path, rows: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute(
        f"create or replace table marts.fct_example as select range as n from range({rows})"
    )
    con.close()


def _count(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select count(*) from marts.fct_example").fetchone()[0]
    finally:
        con.close()


def test_publish_replaces_the_snapshot_while_a_reader_holds_the_old_one(tmp_path):
    warehouse, snapshot = tmp_path / "build.duckdb", tmp_path / "snapshot.duckdb"
    _warehouse(warehouse, 1)
    assert publish(warehouse, snapshot) == {"fct_example": 1}
    reader = duckdb.connect(str(snapshot), read_only=True)
    _warehouse(warehouse, 2)  # the build writes while the dashboard holds the snapshot
    publish(warehouse, snapshot)
    assert reader.execute("select count(*) from marts.fct_example").fetchone()[0] == 1
    reader.close()
    assert _count(snapshot) == 2
    assert sorted(path.name for path in tmp_path.iterdir()) == ["build.duckdb", "snapshot.duckdb"]


def test_publish_waits_for_a_build_that_holds_the_warehouse(tmp_path):
    warehouse, snapshot = tmp_path / "build.duckdb", tmp_path / "snapshot.duckdb"
    _warehouse(warehouse, 3)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]);"
            " print('held', flush=True); time.sleep(3); con.close()",
            str(warehouse),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(duckdb.IOException):
            publish(warehouse, snapshot, wait_seconds=0.5)
        assert not snapshot.exists()
        started = time.monotonic()
        publish(warehouse, snapshot, wait_seconds=30)
        assert time.monotonic() - started > 0.5
    finally:
        holder.wait(timeout=30)
    assert _count(snapshot) == 3


def test_the_retention_threshold_is_the_dbt_var_unless_set(tmp_path, monkeypatch):
    from integration_adoption.dashboard.__main__ import default_min_observable

    project = tmp_path / "dbt_project.yml"
    project.write_text("vars:\n  flattening_min_observable: 7\n")
    monkeypatch.delenv("IA_DASHBOARD_MIN_OBSERVABLE", raising=False)
    assert default_min_observable(project) == 7
    monkeypatch.setenv("IA_DASHBOARD_MIN_OBSERVABLE", "3")
    assert default_min_observable(project) == 3
