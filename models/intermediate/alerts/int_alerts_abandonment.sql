-- abandonment (metric-definitions §7): a connection that worked goes quiet,
-- failures included. It fires on the first day with neither work nor failure
-- in the max(`abandonment_min_days`, W) days ending on it (broken is not
-- abandoned until the last failure has left that window) and stays open
-- until the next work event. So each attempt day from the first work on
-- whose next attempt comes more than max(14, W) days later is a candidate,
-- firing max(14, W) days after it, and the first candidate after each work
-- day fires. One row per firing, in the columns every alert model shares
-- (fct_integration_alerts unions them).
with

success_rates as (
    -- the connection's attempt days between its install and the end of its states
    select * from {{ ref('int_connection_success_rates') }}
    where is_attempt_day
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

quiet_windows as (
    -- the quiet days after which a connection counts as abandoned
    select
        connection_id,
        case
            when active_window_days > {{ var('abandonment_min_days') }}
                then active_window_days
            else {{ var('abandonment_min_days') }}
        end as quiet_days
    from lifecycle
),

attempt_days as (
    select
        connection_id,
        rate_date as activity_date,
        max(case when work_event_count > 0 then rate_date end) over (
            partition by connection_id
            order by rate_date
            rows between unbounded preceding and current row
        ) as last_work_date,
        lead(rate_date) over (
            partition by connection_id
            order by rate_date
        ) as next_attempt_date
    from success_rates
),

quiet_ends as (
    -- an attempt day followed by fewer than the minimum quiet days (most of
    -- them) cannot fire: dropped before the join that gives each its quiet days
    select
        attempt_days.connection_id,
        attempt_days.last_work_date,
        quiet_windows.quiet_days,
        {{ integration_adoption.add_days('quiet_windows.quiet_days', 'attempt_days.activity_date') }} as fired_date,
        attempt_days.next_attempt_date
    from attempt_days
    inner join quiet_windows
        on attempt_days.connection_id = quiet_windows.connection_id
    where
        -- active before: a work event on or before the attempt day
        attempt_days.last_work_date is not null
        and (
            attempt_days.next_attempt_date is null
            or attempt_days.next_attempt_date
            > {{ integration_adoption.add_days(var('abandonment_min_days'), 'attempt_days.activity_date') }}
        )
),

first_quiet_ends as (
    -- one open abandonment per work day: the first quiet after it
    select
        connection_id,
        last_work_date,
        min(quiet_days) as quiet_days,
        min(fired_date) as fired_date
    from quiet_ends
    where
        next_attempt_date is null
        or next_attempt_date > fired_date
    group by connection_id, last_work_date
),

final as (
    select
        ---------- ids
        cast(lifecycle.account_id as {{ dbt.type_string() }}) as account_id,
        cast(first_quiet_ends.connection_id as {{ dbt.type_string() }}) as connection_id,
        cast(lifecycle.integration_key as {{ dbt.type_string() }}) as integration_key,

        ---------- strings
        cast('abandonment' as {{ dbt.type_string() }}) as alert_type,
        cast('days_without_work' as {{ dbt.type_string() }}) as evidence_metric,

        ---------- numerics
        cast(
            {{ dbt.datediff('first_quiet_ends.last_work_date', 'first_quiet_ends.fired_date', 'day') }}
            as {{ integration_adoption.type_double() }}
        ) as evidence_value,
        cast(first_quiet_ends.quiet_days as {{ integration_adoption.type_double() }}) as threshold_value,

        ---------- dates
        first_quiet_ends.fired_date,
        cast(null as date) as projected_limit_date,
        as_of.as_of_date
    from first_quiet_ends
    inner join lifecycle
        on first_quiet_ends.connection_id = lifecycle.connection_id
    cross join as_of
    where
        first_quiet_ends.fired_date <= as_of.as_of_date
        -- not uninstalled by d
        and (lifecycle.uninstalled_date is null or lifecycle.uninstalled_date > first_quiet_ends.fired_date)
)

select * from final
