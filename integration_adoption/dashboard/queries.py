"""What each dashboard chart reads from the marts, under the dashboard's filters.

Every function takes a read-only DuckDB connection to the snapshot and the
filters, and returns a pandas DataFrame. The marts' own definitions are kept
(docs/metric_definitions.md): counts are summed over the cohorts a filter
keeps and rates recomputed as Σ numerator ÷ Σ denominator, null when the
denominator is 0, never averaged; roll-up rows (`all`) are read only where the
filter asks for the roll-up.

Which filter reaches which mart:

- fct_integration_funnel: integration; segment (its own column); install
  cohorts starting in the range.
- fct_retention_cohorts: integration; activation cohorts starting in the
  range; not segment (the mart has none).
- fct_integration_adoption_daily: integration; days in the range; not
  segment (the mart has none).
- fct_account_health_daily: accounts with a connection of the integration;
  segment; score dates in the range.
- fct_integration_alerts: integration (account-level alerts: accounts with a
  connection of it); segment (dim_accounts); fired in the alert window
  ending on the range's last day.
- fct_integration_impact, fct_integration_impact_balance: integration only
  (one snapshot at T0).
- fct_integration_impact_history: integration only (one row per T0); the
  dashboard says so when the snapshot does not hold it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

ALL = "all"
SUB_SCORES = (
    "activation_depth",
    "usage_volume",
    "health_status",
    "frequency",
    "sophistication",
    "growth",
)
OUTCOMES = ("retained", "nrr", "expanded")


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters; an empty integration list means every integration."""

    start: dt.date
    end: dt.date
    integrations: tuple[str, ...] = field(default_factory=tuple)
    segment: str = ALL

    def params(self) -> dict[str, object]:
        return {
            "integrations": list(self.integrations),
            "segment": self.segment,
            "start_date": self.start,
            "end_date": self.end,
        }


# SQL fragments shared by the queries below (named parameters of Filters.params)
INTEGRATIONS = "cast($integrations as varchar[])"
INTEGRATION_KEPT = f"(len({INTEGRATIONS}) = 0 or list_contains({INTEGRATIONS}, {{column}}))"
SEGMENT_KEPT = "($segment = 'all' or {column} = $segment)"
ACCOUNTS_OF_INTEGRATIONS = f"""
    select distinct account_id from marts.dim_connections
    where list_contains({INTEGRATIONS}, integration_key)
"""


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> pd.DataFrame:
    used = {name: value for name, value in params.items() if f"${name}" in sql}
    return con.execute(sql, used).df()


def _integration(column: str) -> str:
    return INTEGRATION_KEPT.format(column=column)


def _segment(column: str) -> str:
    return SEGMENT_KEPT.format(column=column)


def _ratio(numerator: str, denominator: str) -> str:
    return f"sum({numerator}) / nullif(sum({denominator}), 0)"


@dataclass(frozen=True)
class Bounds:
    """What the filters can choose from."""

    first_date: dt.date
    as_of_date: dt.date
    integrations: dict[str, str]
    segments: tuple[str, ...]


def bounds(con: duckdb.DuckDBPyConnection) -> Bounds:
    """The earliest date any filtered mart holds, so the default range keeps every row.

    A cohort starts on its month's first day, which can come before the first
    data day: a range starting on that day would drop the first cohort.
    """
    first_date, as_of_date = con.execute(
        """
        select
            least(
                (select min(activity_date) from marts.fct_integration_adoption_daily),
                (select min(cohort_start_date) from marts.fct_integration_funnel),
                (select min(cohort_start_date) from marts.fct_retention_cohorts),
                (select min(score_date) from marts.fct_account_health_daily),
                (select min(fired_date) from marts.fct_integration_alerts)
            ),
            (select max(activity_date) from marts.fct_integration_adoption_daily)
        """
    ).fetchone() or (None, None)
    integrations = dict(
        con.execute(
            "select integration_key, display_name from marts.dim_integrations order by display_name"
        ).fetchall()
    )
    segments = tuple(
        row[0]
        for row in con.execute(
            "select distinct segment from marts.dim_accounts order by segment"
        ).fetchall()
    )
    return Bounds(first_date, as_of_date, integrations, segments)


def snapshot_info(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """(as-of date, published at) of the snapshot, as text."""
    as_of = con.execute("select max(as_of_date) from marts.fct_integration_funnel").fetchone()
    published = con.execute("select max(published_at) from dashboard_meta.snapshot").fetchone()
    return (
        str(as_of[0]) if as_of else "unknown",
        f"{published[0]:%Y-%m-%d %H:%M:%S} UTC" if published and published[0] else "unknown",
    )


def funnel(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Funnel per integration over the month install cohorts starting in the date range."""
    sql = f"""
        with kept as (
            select * from marts.fct_integration_funnel
            where cohort_grain = 'month'
                and install_cohort != 'all'
                and integration_key != 'all'
                and segment = $segment
                and cohort_start_date between $start_date and $end_date
                and {_integration("integration_key")}
        ),

        summed as (
            select
                integration_key,
                sum(installed_connections) as installed_connections,
                sum(setup_observable_connections) as setup_observable_connections,
                sum(setup_completed_connections) as setup_completed_connections,
                sum(activation_observable_connections) as activation_observable_connections,
                sum(activated_connections) as activated_connections,
                sum(retained_30d_observable_connections) as retained_30d_observable_connections,
                sum(retained_30d_connections) as retained_30d_connections,
                sum(retained_90d_observable_connections) as retained_90d_observable_connections,
                sum(retained_90d_connections) as retained_90d_connections,
                {_ratio("setup_completed_connections", "setup_observable_connections")}
                    as setup_rate,
                {_ratio("activated_connections", "activation_observable_connections")}
                    as activation_rate,
                {_ratio("retained_30d_connections", "retained_30d_observable_connections")}
                    as retention_30d_rate,
                {_ratio("retained_90d_connections", "retained_90d_observable_connections")}
                    as retention_90d_rate,
                -- the verdict's thresholds, the same on every row of an integration
                max(healthy_activation_rate) as healthy_activation_rate,
                max(healthy_retention_90d_rate) as healthy_retention_90d_rate,
                max(verdict_min_observable_connections) as verdict_min_observable_connections
            from kept
            group by integration_key
        ),

        losses as (
            select
                *,
                1 - activation_rate as first_value_loss,
                case
                    when retained_90d_observable_connections > 0 then 1 - retention_90d_rate
                    else 1 - retention_30d_rate
                end as durability_loss
            from summed
        )

        select
            losses.*,
            case
                when first_value_loss is null or durability_loss is null then null
                when first_value_loss >= durability_loss then 'first_value_problem'
                else 'durability_problem'
            end as leak_diagnosis,
            -- the mart's verdict (metric-definitions §4) over the pooled cohorts
            case
                when (activation_observable_connections >= verdict_min_observable_connections
                        and activation_rate < healthy_activation_rate)
                    or (retained_90d_observable_connections >= verdict_min_observable_connections
                        and retention_90d_rate < healthy_retention_90d_rate) then 'stalled'
                when activation_observable_connections >= verdict_min_observable_connections
                    and retained_90d_observable_connections >= verdict_min_observable_connections
                    then 'healthy'
                else 'too_early'
            end as funnel_verdict
        from losses
        order by activation_rate desc nulls last, integration_key
    """
    return _frame(con, sql, filters.params())


def _pooled_retention(
    con: duckdb.DuckDBPyConnection, filters: Filters, by: str, min_observable: int
) -> pd.DataFrame:
    """Monthly "on" retention by `by` and period, pooling the activation cohorts in the range.

    A point from fewer than `min_observable` observable connections is left
    out: one connection still active makes a 100% point at the curve's tail.
    """
    sql = f"""
        select
            {by},
            period_number,
            sum(observable_connections) as observable_connections,
            sum(retained_connections) as retained_connections,
            {_ratio("retained_connections", "observable_connections")} as retention_rate,
            {_ratio("retained_or_after_connections", "observable_connections")}
                as unbounded_retention_rate
        from marts.fct_retention_cohorts
        where period_grain = 'month'
            and activation_cohort != 'all'
            and integration_key != 'all'
            and cohort_start_date between $start_date and $end_date
            and {_integration("integration_key")}
        group by {by}, period_number
        having sum(observable_connections) >= greatest($min_observable, 1)
        order by {by}, period_number
    """
    return _frame(con, sql, {**filters.params(), "min_observable": min_observable})


def retention_curves(
    con: duckdb.DuckDBPyConnection, filters: Filters, min_observable: int = 1
) -> pd.DataFrame:
    """Retention curve per integration."""
    return _pooled_retention(con, filters, "integration_key", min_observable)


def cohort_heatmap(
    con: duckdb.DuckDBPyConnection, filters: Filters, min_observable: int = 1
) -> pd.DataFrame:
    """Activation month by month k, the selected integrations pooled."""
    return _pooled_retention(con, filters, "cohort_start_date", min_observable)


def adoption_daily(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Connections active, failing and dormant per day, summed over the selected integrations."""
    sql = f"""
        select
            activity_date,
            sum(active_connections) as active_connections,
            sum(failing_connections) as failing_connections,
            sum(dormant_connections) as dormant_connections,
            sum(not_activated_connections) as not_activated_connections,
            sum(live_connections) as live_connections,
            {_ratio("failing_connections", "live_connections")} as silent_failure_rate
        from marts.fct_integration_adoption_daily
        where integration_key != 'all'
            and activity_date between $start_date and $end_date
            and {_integration("integration_key")}
        group by activity_date
        order by activity_date
    """
    return _frame(con, sql, filters.params())


def _health_accounts_kept() -> str:
    return f"""
        {_segment("health.segment")}
        and (len({INTEGRATIONS}) = 0 or health.account_id in ({ACCOUNTS_OF_INTEGRATIONS}))
    """


def health_latest(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Each kept account's latest score on or before the range's end (within the range),
    and whether it is scored on the range's last score day: an account not scored on a
    day (churned: no MRR in its month, metric-definitions §6) has no score row for it."""
    sql = f"""
        with kept as (
            select
                health.account_id,
                health.segment,
                health.health_band,
                health.health_score,
                health.missing_signals,
                health.score_date
            from marts.fct_account_health_daily as health
            where health.score_date between $start_date and $end_date
                and {_health_accounts_kept()}
        )

        select
            *,
            score_date = (select max(score_date) from kept) as is_scored_on_last_day
        from kept
        qualify row_number() over (partition by account_id order by score_date desc) = 1
        order by health_score, account_id
    """
    return _frame(con, sql, filters.params())


def account_history(
    con: duckdb.DuckDBPyConnection, account_id: str, filters: Filters
) -> pd.DataFrame:
    """One account's score, six sub-scores, weights and missing signals over the range."""
    columns = ", ".join(f"{name}_score, {name}_weight" for name in SUB_SCORES)
    sql = f"""
        select
            score_date, health_score, health_band, trend, missing_signals, present_weight,
            {columns}
        from marts.fct_account_health_daily
        where account_id = $account_id
            and score_date between $start_date and $end_date
        order by score_date
    """
    return _frame(con, sql, {**filters.params(), "account_id": account_id})


def open_alerts(con: duckdb.DuckDBPyConnection, filters: Filters, window_days: int) -> pd.DataFrame:
    """Alerts fired in the `window_days` days ending on the range's end (and within it)."""
    sql = f"""
        select
            alerts.fired_date,
            alerts.alert_type,
            alerts.severity,
            alerts.account_id,
            accounts.segment,
            coalesce(alerts.integration_key, '(account)') as integration_key,
            alerts.evidence_metric,
            round(alerts.evidence_value, 3) as evidence_value,
            alerts.threshold_value,
            alerts.recommended_action,
            alerts.alert_id
        from marts.fct_integration_alerts as alerts
        left join marts.dim_accounts as accounts
            on alerts.account_id = accounts.account_id
        where alerts.fired_date > $end_date - to_days(cast($window_days as integer))
            and alerts.fired_date between $start_date and $end_date
            and {_segment("accounts.segment")}
            and (
                len({INTEGRATIONS}) = 0
                or list_contains({INTEGRATIONS}, alerts.integration_key)
                or (
                    alerts.integration_key is null
                    and alerts.account_id in ({ACCOUNTS_OF_INTEGRATIONS})
                )
            )
        order by alerts.fired_date desc, alerts.alert_type, alerts.alert_id
    """
    return _frame(con, sql, {**filters.params(), "window_days": window_days})


IMPACT_HISTORY = "fct_integration_impact_history"
# the impact marts' columns the dashboard shows, the lift and its intervals in points
IMPACT_COLUMNS = """
    integration_key,
    outcome,
    outcome_kind,
    treated_accounts,
    control_accounts,
    matched_treated_accounts,
    matched_control_accounts,
    unmatched_treated_accounts,
    naive_difference_points,
    lift_points,
    lift_ci_lower_points,
    lift_ci_upper_points,
    robust_ci_lower * 100 as robust_ci_lower_points,
    robust_ci_upper * 100 as robust_ci_upper_points,
    interval_method,
    impact_band,
    is_significant,
    e_value,
    e_value_ci,
    e_value_note,
    t0_date,
    outcome_month_date
"""


def impact(con: duckdb.DuckDBPyConnection, filters: Filters, outcome: str) -> pd.DataFrame:
    """Naive vs matched lift in points, with §8's 95% interval (the one `is_significant`
    and the band read), the robust interval beside it, and the E-values."""
    sql = f"""
        select {IMPACT_COLUMNS}
        from marts.fct_integration_impact
        where outcome = $outcome
            and {_integration("integration_key")}
        order by lift_points nulls first, integration_key
    """
    return _frame(con, sql, {**filters.params(), "outcome": outcome})


def impact_integrations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each integration's matched adopters at T0 (the same for every outcome), most first."""
    sql = """
        select integration_key, max(matched_treated_accounts) as matched_treated_accounts
        from marts.fct_integration_impact
        group by integration_key
        order by matched_treated_accounts desc, integration_key
    """
    return _frame(con, sql, {})


def impact_balance(con: duckdb.DuckDBPyConnection, integration: str) -> pd.DataFrame:
    """Standardized mean difference per covariate level before and after matching."""
    sql = """
        select
            covariate,
            covariate_level,
            covariate_kind,
            treated_accounts,
            control_accounts,
            matched_treated_accounts,
            matched_control_accounts,
            standardized_mean_difference_before,
            standardized_mean_difference_after,
            variance_ratio_before,
            variance_ratio_after
        from marts.fct_integration_impact_balance
        where integration_key = $integration
        order by covariate_kind desc, covariate, covariate_level nulls last
    """
    return _frame(con, sql, {"integration": integration})


def has_mart(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the snapshot holds the mart `name`."""
    found = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = ?",
        [name],
    ).fetchone()
    return bool(found and found[0])


def impact_history(
    con: duckdb.DuckDBPyConnection, filters: Filters, outcome: str
) -> pd.DataFrame | None:
    """The lift and its §8 interval at every T0 (metric-definitions §8.1), or None when the
    snapshot has no fct_integration_impact_history (built before that mart existed)."""
    if not has_mart(con, IMPACT_HISTORY):
        return None
    sql = f"""
        select {IMPACT_COLUMNS}, is_default_t0
        from marts.{IMPACT_HISTORY}
        where outcome = $outcome
            and {_integration("integration_key")}
        order by integration_key, t0_date
    """
    return _frame(con, sql, {**filters.params(), "outcome": outcome})
