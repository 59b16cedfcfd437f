{{ config(tags=['dense']) }}
-- Recomputes the state of every connection-day straight from the daily
-- activity, the plain way (a dense day grid and the last work/failure date
-- so far), and compares it with the spells expanded by
-- int_connection_states_daily. Any disagreement is returned.
-- Dense, so it is tagged: fine on test data, skipped by benchmarks.
with

states as (
    select * from {{ ref('int_connection_states_daily') }}
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

activity as (
    select * from {{ ref('int_connection_activity_daily') }}
),

day_grid as (
    select
        states.connection_id,
        states.state_date,
        states.state,
        lifecycle.active_window_days,
        lifecycle.activated_date,
        lifecycle.uninstalled_date,
        coalesce(activity.work_event_count, 0) as work_event_count,
        coalesce(activity.failure_event_count, 0) as failure_event_count
    from states
    inner join lifecycle
        on states.connection_id = lifecycle.connection_id
    left join activity
        on
            states.connection_id = activity.connection_id
            and states.state_date = activity.activity_date
),

last_signals as (
    select
        *,
        max(case when work_event_count > 0 then state_date end) over (
            partition by connection_id
            order by state_date
            rows between unbounded preceding and current row
        ) as last_work_date,
        max(case when failure_event_count > 0 then state_date end) over (
            partition by connection_id
            order by state_date
            rows between unbounded preceding and current row
        ) as last_failure_date
    from day_grid
),

expected as (
    select
        *,
        case
            when state_date = uninstalled_date then 'uninstalled'
            when last_work_date > {{ integration_adoption.add_days('-active_window_days', 'state_date') }}
                then 'active'
            when last_failure_date > {{ integration_adoption.add_days('-active_window_days', 'state_date') }}
                then 'failing'
            when last_work_date is null then 'not_activated'
            else 'dormant'
        end as expected_state
    from last_signals
)

select
    connection_id,
    state_date,
    state,
    expected_state
from expected
where state != expected_state
