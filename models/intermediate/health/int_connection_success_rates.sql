-- The 7-day success rate of each connection (metric-definitions §6, §7), the
-- one place it is computed: fct_connection_health_daily, the
-- health_degradation and abandonment alerts and (summed over an account's
-- connections, int_account_success_rates) the account health inputs read it.
-- One row per connection per day on which the window's sums can change: a
-- day with attempts between the install and the end of the connection's
-- states (§3), or the day such a day leaves the window (W =
-- health_short_window_days after it). A row carries that day's volumes
-- (zero on a day that only closes a window) and the sums over the W days
-- ending on it, which hold until valid_to.
-- Cost grows with attempt days (at most two rows each), never with
-- connections × days. Incremental (replace_days on rate_date): the newest row
-- is the newest attempt day's closing day, so a run re-derives the rows from
-- the newest attempt day minus `incremental_lookback_days` (the days the
-- activity re-reads) from the attempt days W before that; the strategy points
-- each connection's last row before them at its first new row.
{%- set window_days = var('health_short_window_days') %}
{{ config(**integration_adoption.incremental_replace_days_config(
    'rate_date', window_days, ('connection_id', 'valid_to'))) }}
{%- if is_incremental() %}
    {%- set first_day = integration_adoption.incremental_first_day('rate_date', window_days) %}
{%- endif %}
with

activity as (
    select * from {{ ref('int_connection_activity_daily') }}
    where attempt_count > 0
    {%- if is_incremental() %}
        -- the attempt days in the windows of the rows re-derived
        and activity_date >= {{ integration_adoption.add_days(-window_days, first_day) }}
    {%- endif %}
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

attempt_days as (
    -- days the connection has a state: install to the as-of date or the uninstall day
    select
        activity.connection_id,
        activity.activity_date,
        activity.attempt_count,
        activity.work_event_count,
        activity.failure_event_count,
        activity.scheduled_work_count,
        activity.records_synced
    from activity
    inner join lifecycle
        on activity.connection_id = lifecycle.connection_id
    where activity.activity_date between lifecycle.installed_date and lifecycle.state_end_date
),

window_points as (
    select * from attempt_days
    union all
    -- the day an attempt day leaves the window
    select
        connection_id,
        {{ integration_adoption.add_days(window_days, 'activity_date') }} as activity_date,
        0 as attempt_count,
        0 as work_event_count,
        0 as failure_event_count,
        0 as scheduled_work_count,
        0 as records_synced
    from attempt_days
),

change_days as (
    select
        connection_id,
        activity_date as rate_date,
        {{ dbt.datediff("cast('1970-01-01' as date)", 'activity_date', 'day') }} as day_number,
        -- bigint, as the activity's: a 128-bit hugeint would double the bytes of every window
        cast(sum(attempt_count) as {{ dbt.type_bigint() }}) as attempt_count,
        cast(sum(work_event_count) as {{ dbt.type_bigint() }}) as work_event_count,
        cast(sum(failure_event_count) as {{ dbt.type_bigint() }}) as failure_event_count,
        cast(sum(scheduled_work_count) as {{ dbt.type_bigint() }}) as scheduled_work_count,
        cast(sum(records_synced) as {{ dbt.type_bigint() }}) as records_synced
    from window_points
    group by connection_id, activity_date
),

windowed as (
    select
        *,
        {%- for volume, summed in [
            ('attempt_count', 'attempts_7d'),
            ('work_event_count', 'work_events_7d'),
            ('failure_event_count', 'failures_7d'),
        ] %}
            sum({{ volume }}) over (
                partition by connection_id
                order by day_number
                range between {{ window_days - 1 }} preceding and current row
            ) as {{ summed }},
        {%- endfor %}
        -- ordered as the sums are, so one sort serves all four (ordered by rate_date, a second
        -- sort: 10.8–11.7 s against 8.7–8.8 s alone on the wide bench history)
        lead(rate_date) over (partition by connection_id order by day_number) as next_rate_date
    from change_days
),

final as (
    select
        ---------- ids
        connection_id,

        ---------- numerics
        attempt_count,
        work_event_count,
        failure_event_count,
        scheduled_work_count,
        records_synced,
        cast(attempts_7d as {{ dbt.type_bigint() }}) as attempts_7d,
        cast(work_events_7d as {{ dbt.type_bigint() }}) as work_events_7d,
        cast(failures_7d as {{ dbt.type_bigint() }}) as failures_7d,
        {{ integration_adoption.safe_divide('work_events_7d', 'attempts_7d') }} as success_rate_7d,

        ---------- booleans
        attempt_count > 0 as is_attempt_day,

        ---------- dates
        rate_date,
        {{ integration_adoption.add_days(-1, 'next_rate_date') }} as valid_to
    from windowed
    {%- if is_incremental() %}
        where rate_date >= {{ first_day }}
    {%- endif %}
)

select * from final
