"""The health score and alerts against the generator's truth (test warehouse).

The generator records every failure episode it put a connection into and the
month each churning account was scheduled to churn. Alerts must see the
episodes, and the score must separate accounts about to churn from those that
stay.
"""

from __future__ import annotations

from .conftest import TEST_RAW

DETAILS = TEST_RAW / "ground_truth_details"

# An episode with at least this many failures is visible to the 7-day success
# rate (metric-definitions §7 needs 3 attempts in the window).
MIN_EPISODE_FAILURES = 3
# Share of such episodes that must fire health_degradation inside the episode.
MIN_EPISODE_RECALL = 0.95
# Days before the churn month over which pre-churn scores are compared.
PRE_CHURN_DAYS = 60


def test_failure_episodes_fire_health_degradation_within_the_episode(con):
    episodes, recall = con.execute(
        f"""
        with episodes as (
            select * from read_parquet('{DETAILS}/failure_episodes.parquet')
        ),

        visible as (
            select episodes.connection_id, episodes.start_date, episodes.end_date
            from episodes
            inner join intermediate.int_connection_activity_daily as activity
                on episodes.connection_id = activity.connection_id
                and activity.activity_date between episodes.start_date and episodes.end_date
            group by all
            having sum(activity.failure_event_count) >= {MIN_EPISODE_FAILURES}
        )

        select
            count(*),
            avg(case when exists (
                select 1 from marts.fct_integration_alerts as alerts
                where alerts.alert_type = 'health_degradation'
                    and alerts.connection_id = visible.connection_id
                    and alerts.fired_date between visible.start_date and visible.end_date
            ) then 1.0 else 0.0 end)
        from visible
        """
    ).fetchone()
    assert episodes > 50, "too few failure episodes in the test data to judge"
    assert recall >= MIN_EPISODE_RECALL, f"{recall:.1%} of {episodes} episodes fired"


def test_accounts_about_to_churn_score_lower_than_those_that_stay(con):
    """For each churn month, accounts churning then are compared with accounts
    still alive after it, over the same 60 days before the month: mean score
    lower, and the AUC (chance a churning account scores below a staying one)
    above one half."""
    churned_mean, stayed_mean, auc, pairs = con.execute(
        f"""
        with churn as (
            select * from read_parquet('{DETAILS}/account_churn.parquet')
        ),

        months as (
            select distinct churn_month from churn where churn_month is not null
        ),

        windows as (
            select
                months.churn_month,
                health.account_id,
                avg(health.health_score) as score,
                max(case when churn.churn_month = months.churn_month then 1 else 0 end) = 1
                    as is_churning
            from months
            inner join marts.fct_account_health_daily as health
                on health.score_date >= months.churn_month - interval {PRE_CHURN_DAYS} day
                and health.score_date < months.churn_month
            inner join churn
                on health.account_id = churn.account_id
            where churn.churn_month is null or churn.churn_month >= months.churn_month
            group by all
        ),

        pairs as (
            select
                case
                    when churning.score < staying.score then 1.0
                    when churning.score = staying.score then 0.5
                    else 0.0
                end as is_lower
            from windows as churning
            inner join windows as staying
                on churning.churn_month = staying.churn_month
                and churning.is_churning
                and not staying.is_churning
        )

        select
            (select avg(score) from windows where is_churning),
            (select avg(score) from windows where not is_churning),
            (select avg(is_lower) from pairs),
            (select count(*) from pairs)
        """
    ).fetchone()
    assert pairs > 1000, "too few churning accounts in the test data to judge"
    assert churned_mean < stayed_mean
    assert auc > 0.55, f"AUC of the pre-churn score {auc:.3f}"
