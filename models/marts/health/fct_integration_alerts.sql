-- One row per alert firing (metric-definitions §7): the day a condition
-- becomes true. A condition that stays true does not fire again until it has
-- cleared. alert_id hashes (alert type, connection or account, fired date), so
-- the same data always yields the same alerts; late data can retract or move
-- an alert on the next build, so consumers upsert by alert_id.
{#- the window of the 7-day success rate (metric-definitions §7) #}
{%- set success_rate_days = 7 %}
with

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

activity as (
    select * from {{ ref('int_connection_activity_daily') }}
),

account_activity as (
    select * from {{ ref('int_account_activity_daily') }}
),

active_spells as (
    select * from {{ ref('int_connection_state_spells') }}
    where state = 'active'
),

monthly as (
    select * from {{ ref('stg_product__account_monthly') }}
),

plan_limits as (
    select * from {{ ref('plan_limits') }}
),

alert_types as (
    select * from {{ ref('alert_types') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

in_scope_activity as (
    select
        activity.*,
        lifecycle.active_window_days,
        lifecycle.uninstalled_date
    from activity
    inner join lifecycle
        on activity.connection_id = lifecycle.connection_id
    where activity.activity_date between lifecycle.installed_date and lifecycle.state_end_date
),

-- ---------- activation_stalled: no work by installed date + N, once per connection
activation_stalled as (
    select
        'activation_stalled' as alert_type,
        lifecycle.account_id,
        lifecycle.connection_id,
        lifecycle.integration_key,
        {{ integration_adoption.add_days(var('activation_stalled_days'), 'lifecycle.installed_date') }}
            as fired_date,
        'days_since_install' as evidence_metric,
        cast({{ var('activation_stalled_days') }} as {{ integration_adoption.type_double() }})
            as evidence_value,
        cast({{ var('activation_stalled_days') }} as {{ integration_adoption.type_double() }})
            as threshold_value,
        cast(null as date) as projected_limit_date
    from lifecycle
    cross join as_of
    where
        {{ integration_adoption.add_days(var('activation_stalled_days'), 'lifecycle.installed_date') }}
        <= as_of.as_of_date
        -- no work event in [installed date, d]
        and (
            lifecycle.activated_date is null
            or lifecycle.activated_date
            > {{ integration_adoption.add_days(var('activation_stalled_days'), 'lifecycle.installed_date') }}
        )
        -- not uninstalled by d
        and (
            lifecycle.uninstalled_date is null
            or lifecycle.uninstalled_date
            > {{ integration_adoption.add_days(var('activation_stalled_days'), 'lifecycle.installed_date') }}
        )
),

-- ---------- health_degradation: the 7-day success rate falls below the threshold
-- The rate changes only on a day with attempts (one enters the window) or 7
-- days after one (it leaves), so it is evaluated on those days; between them
-- it holds, so its value on d − 1 is its value at the previous change. The
-- activity days and the days 7 after an attempt day are points on one
-- timeline per connection; a range frame of 7 days over it sums the window.
rate_points as (
    select
        connection_id,
        activity_date as point_date,
        attempt_count,
        work_event_count,
        case when attempt_count > 0 then 1 else 0 end as is_change_day
    from in_scope_activity
    union all
    select
        connection_id,
        {{ integration_adoption.add_days(success_rate_days, 'activity_date') }} as point_date,
        0 as attempt_count,
        0 as work_event_count,
        1 as is_change_day
    from in_scope_activity
    where attempt_count > 0
),

rate_days as (
    select
        connection_id,
        point_date as change_date,
        {{ dbt.datediff("cast('1970-01-01' as date)", 'point_date', 'day') }} as day_number,
        sum(attempt_count) as attempt_count,
        sum(work_event_count) as work_event_count,
        max(is_change_day) as is_change_day
    from rate_points
    group by connection_id, point_date
),

rates as (
    select
        connection_id,
        change_date,
        is_change_day,
        sum(attempt_count) over (
            partition by connection_id
            order by day_number
            range between {{ success_rate_days - 1 }} preceding and current row
        ) as attempts_7d,
        sum(work_event_count) over (
            partition by connection_id
            order by day_number
            range between {{ success_rate_days - 1 }} preceding and current row
        ) as work_events_7d
    from rate_days
),

rate_flags as (
    select
        rates.connection_id,
        rates.change_date,
        -- defined only with enough attempts in the window
        case
            when rates.attempts_7d >= {{ var('health_degradation_min_attempts') }}
                then
                    cast(rates.work_events_7d as {{ integration_adoption.type_double() }})
                    / rates.attempts_7d
        end as success_rate_7d
    from rates
    where rates.is_change_day = 1
),

rate_transitions as (
    -- a degradation stays open until a later day with a defined rate of at
    -- least the threshold: days with an undefined rate close nothing, so the
    -- previous day compared with is the previous one with a defined rate
    select
        rate_flags.*,
        rate_flags.success_rate_7d < {{ var('health_degradation_success_rate') }} as is_degraded,
        coalesce(
            lag(
                rate_flags.success_rate_7d < {{ var('health_degradation_success_rate') }}
            ) over (partition by rate_flags.connection_id order by rate_flags.change_date),
            false
        ) as was_degraded
    from rate_flags
    where rate_flags.success_rate_7d is not null
),

health_degradation as (
    select
        'health_degradation' as alert_type,
        lifecycle.account_id,
        rate_transitions.connection_id,
        lifecycle.integration_key,
        rate_transitions.change_date as fired_date,
        'success_rate_7d' as evidence_metric,
        rate_transitions.success_rate_7d as evidence_value,
        cast({{ var('health_degradation_success_rate') }} as {{ integration_adoption.type_double() }})
            as threshold_value,
        cast(null as date) as projected_limit_date
    from rate_transitions
    inner join lifecycle
        on rate_transitions.connection_id = lifecycle.connection_id
    where
        rate_transitions.is_degraded
        and not rate_transitions.was_degraded
        and rate_transitions.change_date <= lifecycle.state_end_date
        and (
            lifecycle.uninstalled_date is null
            or rate_transitions.change_date < lifecycle.uninstalled_date
        )
),

-- ---------- abandonment: a connection that worked goes quiet, failures included
-- It fires on the first day with neither work nor failure in the max(14, W)
-- days ending on it (broken is not abandoned until the last failure has left
-- that window) and stays open until the next work event. So each attempt day
-- from the first work on whose next attempt comes more than max(14, W) days
-- later is a candidate, firing max(14, W) days after it, and the first
-- candidate after each work day fires.
attempt_days as (
    select
        in_scope_activity.connection_id,
        in_scope_activity.activity_date,
        max(case when in_scope_activity.work_event_count > 0 then in_scope_activity.activity_date end) over (
            partition by in_scope_activity.connection_id
            order by in_scope_activity.activity_date
            rows between unbounded preceding and current row
        ) as last_work_date,
        lead(in_scope_activity.activity_date) over (
            partition by in_scope_activity.connection_id
            order by in_scope_activity.activity_date
        ) as next_attempt_date,
        case
            when in_scope_activity.active_window_days > {{ var('abandonment_min_days') }}
                then in_scope_activity.active_window_days
            else {{ var('abandonment_min_days') }}
        end as quiet_days
    from in_scope_activity
    where in_scope_activity.attempt_count > 0
),

quiet_ends as (
    select
        connection_id,
        last_work_date,
        quiet_days,
        {{ integration_adoption.add_days('quiet_days', 'activity_date') }} as fired_date,
        next_attempt_date
    from attempt_days
    -- active before: a work event on or before the attempt day
    where last_work_date is not null
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

abandonment as (
    select
        'abandonment' as alert_type,
        lifecycle.account_id,
        first_quiet_ends.connection_id,
        lifecycle.integration_key,
        first_quiet_ends.fired_date,
        'days_without_work' as evidence_metric,
        cast(
            {{ dbt.datediff('first_quiet_ends.last_work_date', 'first_quiet_ends.fired_date', 'day') }}
            as {{ integration_adoption.type_double() }}
        ) as evidence_value,
        cast(first_quiet_ends.quiet_days as {{ integration_adoption.type_double() }}) as threshold_value,
        cast(null as date) as projected_limit_date
    from first_quiet_ends
    inner join lifecycle
        on first_quiet_ends.connection_id = lifecycle.connection_id
    cross join as_of
    where
        first_quiet_ends.fired_date <= as_of.as_of_date
        -- not uninstalled by d
        and (lifecycle.uninstalled_date is null or lifecycle.uninstalled_date > first_quiet_ends.fired_date)
),

-- ---------- api_limit_proximity: month-to-date API calls reach a share of the plan limit
account_days as (
    select
        account_activity.account_id,
        account_activity.activity_date,
        cast({{ dbt.date_trunc('month', 'account_activity.activity_date') }} as date) as month_start_date,
        account_activity.api_calls,
        plan_limits.api_calls_per_month
    from account_activity
    inner join monthly
        on
            account_activity.account_id = monthly.account_id
            and cast({{ dbt.date_trunc('month', 'account_activity.activity_date') }} as date)
            = monthly.month_start_date
    inner join plan_limits
        on monthly.plan = plan_limits.plan
),

month_to_date as (
    select
        *,
        sum(api_calls) over (
            partition by account_id, month_start_date
            order by activity_date
            rows between unbounded preceding and current row
        ) as api_calls_month_to_date
    from account_days
),

first_crossings as (
    select
        *,
        row_number() over (
            partition by account_id, month_start_date
            order by activity_date
        ) as crossing_number,
        -- days elapsed in the month, the firing day included
        {{ dbt.datediff('month_start_date', 'activity_date', 'day') }} + 1 as days_elapsed
    from month_to_date
    where api_calls_month_to_date >= {{ var('api_limit_proximity_share') }} * api_calls_per_month
),

api_limit_proximity as (
    select
        'api_limit_proximity' as alert_type,
        first_crossings.account_id,
        cast(null as {{ dbt.type_string() }}) as connection_id,
        cast(null as {{ dbt.type_string() }}) as integration_key,
        first_crossings.activity_date as fired_date,
        'api_calls_month_to_date_share' as evidence_metric,
        cast(first_crossings.api_calls_month_to_date as {{ integration_adoption.type_double() }})
        / first_crossings.api_calls_per_month as evidence_value,
        cast({{ var('api_limit_proximity_share') }} as {{ integration_adoption.type_double() }})
            as threshold_value,
        -- the day the month-to-date daily mean reaches the limit; null after month end
        case
            when
                {{ integration_adoption.add_days(
                'cast(ceiling(first_crossings.api_calls_per_month * first_crossings.days_elapsed * 1.0'
                ~ ' / first_crossings.api_calls_month_to_date) as integer) - 1',
                'first_crossings.month_start_date') }}
                < cast({{ dbt.dateadd('month', 1, 'first_crossings.month_start_date') }} as date)
                then {{ integration_adoption.add_days(
                    'cast(ceiling(first_crossings.api_calls_per_month * first_crossings.days_elapsed * 1.0'
                    ~ ' / first_crossings.api_calls_month_to_date) as integer) - 1',
                    'first_crossings.month_start_date') }}
        end as projected_limit_date
    from first_crossings
    cross join as_of
    where
        first_crossings.crossing_number = 1
        and first_crossings.activity_date <= as_of.as_of_date
),

-- ---------- expansion_ready: distinct integrations with an active connection reach N
integration_edges as (
    -- active runs per account and integration (re-installs may overlap)
    select
        account_id,
        integration_key,
        valid_from as edge_date,
        1 as delta
    from active_spells
    union all
    select
        account_id,
        integration_key,
        {{ integration_adoption.add_days(1, 'valid_to') }} as edge_date,
        -1 as delta
    from active_spells
),

integration_running as (
    select
        account_id,
        integration_key,
        edge_date,
        sum(sum(delta)) over (
            partition by account_id, integration_key
            order by edge_date
            rows between unbounded preceding and current row
        ) as active_connections
    from integration_edges
    group by account_id, integration_key, edge_date
),

integration_changes as (
    -- +1 when an integration becomes active for the account, −1 when it stops
    select
        account_id,
        edge_date,
        case when active_connections > 0 then 1 else -1 end as delta
    from (
        select
            *,
            coalesce(
                lag(active_connections) over (
                    partition by account_id, integration_key
                    order by edge_date
                ),
                0
            ) as previous_active_connections
        from integration_running
    ) as with_previous
    where (active_connections > 0) != (previous_active_connections > 0)
),

distinct_running as (
    select
        account_id,
        edge_date,
        sum(sum(delta)) over (
            partition by account_id
            order by edge_date
            rows between unbounded preceding and current row
        ) as active_integrations
    from integration_changes
    group by account_id, edge_date
),

expansion_ready as (
    select
        'expansion_ready' as alert_type,
        account_id,
        cast(null as {{ dbt.type_string() }}) as connection_id,
        cast(null as {{ dbt.type_string() }}) as integration_key,
        min(edge_date) as fired_date,
        'active_integrations' as evidence_metric,
        cast(min(active_integrations) as {{ integration_adoption.type_double() }}) as evidence_value,
        cast({{ var('expansion_ready_integrations') }} as {{ integration_adoption.type_double() }})
            as threshold_value,
        cast(null as date) as projected_limit_date
    from distinct_running
    where active_integrations >= {{ var('expansion_ready_integrations') }}
    group by account_id
),

firings as (
    select * from activation_stalled
    union all
    select * from health_degradation
    union all
    select * from abandonment
    union all
    select * from api_limit_proximity
    union all
    select * from expansion_ready
),

final as (
    select
        ---------- ids
        cast(
            {{ dbt.hash(dbt.concat([
                'firings.alert_type', "'|'",
                "coalesce(firings.connection_id, firings.account_id)", "'|'",
                'cast(firings.fired_date as ' ~ dbt.type_string() ~ ')',
            ])) }} as {{ dbt.type_string() }}
        ) as alert_id,
        cast(firings.account_id as {{ dbt.type_string() }}) as account_id,
        cast(firings.connection_id as {{ dbt.type_string() }}) as connection_id,
        cast(firings.integration_key as {{ dbt.type_string() }}) as integration_key,

        ---------- strings
        cast(firings.alert_type as {{ dbt.type_string() }}) as alert_type,
        cast(alert_types.severity as {{ dbt.type_string() }}) as severity,
        cast(alert_types.channel as {{ dbt.type_string() }}) as channel,
        cast(alert_types.recommended_action as {{ dbt.type_string() }}) as recommended_action,
        cast(firings.evidence_metric as {{ dbt.type_string() }}) as evidence_metric,

        ---------- numerics
        cast(firings.evidence_value as {{ integration_adoption.type_double() }}) as evidence_value,
        cast(firings.threshold_value as {{ integration_adoption.type_double() }}) as threshold_value,

        ---------- dates
        cast(firings.fired_date as date) as fired_date,
        firings.projected_limit_date,
        as_of.as_of_date
    from firings
    inner join alert_types
        on firings.alert_type = alert_types.alert_type
    cross join as_of
)

select * from final
