"""The health score and alerts against the generator's truth (test warehouse).

The generator records every failure episode it put a connection into and the
month each churning account was scheduled to churn. Alerts must see the
episodes, and the score must separate accounts about to churn from those that
stay.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pandas as pd

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


# ---------- contract v3 §6 and §7, implemented again from the text (not from the SQL)
# Defaults of the contract: the daily window of stored scores, the quiet days before
# abandonment, and the success rate a degradation needs (with its minimum attempts).
DAILY_HISTORY_DAYS = 90
ABANDONMENT_MIN_DAYS = 14
DEGRADATION_RATE = 0.80
DEGRADATION_MIN_ATTEMPTS = 3
RATE_WINDOW_DAYS = 7


def _frame(con, sql: str):
    return con.execute(sql).df()


def _day(value) -> dt.date:
    return value.date() if hasattr(value, "date") else value


def test_scores_exist_exactly_on_the_days_the_account_is_alive(con):
    """§6: scored from the first install, on the stored days (daily for 90 days, Mondays
    before) of months with MRR > 0 in the raw billing, or always without billing rows (a
    month not billed yet takes the latest billed month). The generator's churned accounts
    have no score from their churn month on."""
    as_of = _day(con.execute("select as_of_date from intermediate.int_as_of_date").fetchone()[0])
    installs = _frame(
        con,
        "select account_id, min(installed_date) as first_installed "
        "from intermediate.int_connections_lifecycle group by 1",
    )
    billing = _frame(con, f"select * from read_parquet('{TEST_RAW}/account_monthly/*.parquet')")
    paying = {(row.account_id, _day(row.month)) for row in billing.itertuples() if row.mrr > 0}
    billed = set(billing["account_id"])
    last_billed = max(_day(month) for month in billing["month"])
    expected = set()
    for row in installs.itertuples():
        day = _day(row.first_installed)
        while day <= as_of:
            stored = (as_of - day).days < DAILY_HISTORY_DAYS or day.weekday() == 0
            month = min(day.replace(day=1), last_billed)
            if stored and (row.account_id not in billed or (row.account_id, month) in paying):
                expected.add((row.account_id, day))
            day += dt.timedelta(days=1)
    scored = {
        (account, _day(day))
        for account, day in con.execute(
            "select account_id, score_date from marts.fct_account_health_daily"
        ).fetchall()
    }
    assert scored == expected, (len(scored - expected), len(expected - scored))
    churn = _frame(
        con,
        f"select account_id, churn_month from read_parquet('{DETAILS}/account_churn.parquet') "
        "where churn_month is not null",
    )
    churn_month = {row.account_id: _day(row.churn_month) for row in churn.itertuples()}
    assert churn_month, "no churned account in the test data to judge"
    assert not [key for key in scored if key[0] in churn_month and key[1] >= churn_month[key[0]]]


def _connections(con):
    """Each connection's lifecycle and its attempt days: {day: (work, attempts)}."""
    lifecycle = _frame(
        con,
        "select connection_id, active_window_days, installed_date, uninstalled_date, "
        "state_end_date from intermediate.int_connections_lifecycle",
    )
    activity = _frame(
        con,
        "select connection_id, activity_date, work_event_count, attempt_count "
        "from intermediate.int_connection_activity_daily where attempt_count > 0",
    )
    days: dict[str, dict[dt.date, tuple[int, int]]] = defaultdict(dict)
    for row in activity.itertuples():
        work, tried = int(row.work_event_count), int(row.attempt_count)
        days[row.connection_id][_day(row.activity_date)] = (work, tried)
    return lifecycle, days


def _firings(con, alert_type: str) -> dict[tuple[str, dt.date], float]:
    rows = con.execute(
        "select connection_id, fired_date, evidence_value from marts.fct_integration_alerts "
        "where alert_type = ?",
        [alert_type],
    ).fetchall()
    return {(connection, _day(day)): value for connection, day, value in rows}


def _in_scope(row, day: dt.date) -> bool:
    """Before the uninstall: an uninstalled connection neither degrades nor is abandoned."""
    return pd.isna(row.uninstalled_date) or day < _day(row.uninstalled_date)


def test_abandonment_fires_once_per_quiet_spell_after_failures_leave_the_window(con):
    """§7: a connection that worked before, not uninstalled by d, with neither work nor
    failure in the max(14, W) days ending on d, and no abandonment open, fires on d;
    it stays open until the next work event; evidence = days since the last work."""
    lifecycle, attempts = _connections(con)
    expected = {}
    for row in lifecycle.itertuples():
        quiet_days = max(ABANDONMENT_MIN_DAYS, int(row.active_window_days))
        history = attempts.get(row.connection_id, {})
        last_work = last_attempt = None
        is_open = False
        day, end = _day(row.installed_date), _day(row.state_end_date)
        while day <= end:
            work, tried = history.get(day, (0, 0))
            if tried:
                last_attempt = day
            if work:
                last_work, is_open = day, False
            quiet = last_attempt is not None and (day - last_attempt).days >= quiet_days
            if last_work is not None and quiet and not is_open and _in_scope(row, day):
                expected[(row.connection_id, day)] = float((day - last_work).days)
                is_open = True
            day += dt.timedelta(days=1)
    fired = _firings(con, "abandonment")
    assert fired == expected, (len(set(fired) - set(expected)), len(set(expected) - set(fired)))
    # the v3 reading fires where a failure followed the last work
    assert any(value > max(ABANDONMENT_MIN_DAYS, 45) for value in fired.values())


def test_health_degradation_stays_open_until_a_defined_rate_recovers(con):
    """§7: the 7-day success rate (defined with at least 3 attempts) below 0.80 fires
    when no degradation is open; it closes on the first later day whose rate is defined
    and at least 0.80; days without a defined rate close nothing."""
    lifecycle, attempts = _connections(con)
    expected = {}
    for row in lifecycle.itertuples():
        history = attempts.get(row.connection_id, {})
        if not history:
            continue
        is_open = False
        day, end = _day(row.installed_date), _day(row.state_end_date)
        while day <= end and _in_scope(row, day):
            window = [history.get(day - dt.timedelta(k), (0, 0)) for k in range(RATE_WINDOW_DAYS)]
            tried = sum(attempts_of_day for _, attempts_of_day in window)
            if tried >= DEGRADATION_MIN_ATTEMPTS:
                rate = sum(work for work, _ in window) / tried
                if rate < DEGRADATION_RATE and not is_open:
                    expected[(row.connection_id, day)] = rate
                    is_open = True
                elif rate >= DEGRADATION_RATE:
                    is_open = False
            day += dt.timedelta(days=1)
    fired = _firings(con, "health_degradation")
    assert set(fired) == set(expected), sorted(set(fired) ^ set(expected))[:5]
    assert all(abs(fired[key] - expected[key]) < 1e-9 for key in fired)
