-- health_degradation (metric-definitions §7): a connection's 7-day success
-- rate, defined only with at least `health_degradation_min_attempts`
-- attempts in the window, falls below `health_degradation_success_rate`
-- while no degradation of it is open. One row per firing, in the columns
-- every alert model shares (fct_integration_alerts unions them).
-- The rate can change only on the days of int_connection_success_rates and
-- holds between them, so it is evaluated on those days.
{%- set threshold = var('health_degradation_success_rate') %}
with

success_rates as (
    select * from {{ ref('int_connection_success_rates') }}
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

defined_rates as (
    -- defined only with enough attempts in the window
    select
        connection_id,
        rate_date,
        success_rate_7d
    from success_rates
    where attempts_7d >= {{ var('health_degradation_min_attempts') }}
),

rate_transitions as (
    -- a degradation stays open until a later day with a defined rate of at
    -- least the threshold: days with an undefined rate close nothing, so the
    -- previous day compared with is the previous one with a defined rate
    select
        connection_id,
        rate_date,
        success_rate_7d,
        success_rate_7d < {{ threshold }} as is_degraded,
        coalesce(
            lag(success_rate_7d < {{ threshold }}) over (partition by connection_id order by rate_date),
            false
        ) as was_degraded
    from defined_rates
),

final as (
    select
        ---------- ids
        cast(lifecycle.account_id as {{ dbt.type_string() }}) as account_id,
        cast(rate_transitions.connection_id as {{ dbt.type_string() }}) as connection_id,
        cast(lifecycle.integration_key as {{ dbt.type_string() }}) as integration_key,

        ---------- strings
        cast('health_degradation' as {{ dbt.type_string() }}) as alert_type,
        cast('success_rate_7d' as {{ dbt.type_string() }}) as evidence_metric,

        ---------- numerics
        cast(rate_transitions.success_rate_7d as {{ integration_adoption.type_double() }}) as evidence_value,
        cast({{ threshold }} as {{ integration_adoption.type_double() }}) as threshold_value,

        ---------- dates
        rate_transitions.rate_date as fired_date,
        cast(null as date) as projected_limit_date,
        as_of.as_of_date
    from rate_transitions
    inner join lifecycle
        on rate_transitions.connection_id = lifecycle.connection_id
    cross join as_of
    where
        rate_transitions.is_degraded
        and not rate_transitions.was_degraded
        and rate_transitions.rate_date <= lifecycle.state_end_date
        and (lifecycle.uninstalled_date is null or rate_transitions.rate_date < lifecycle.uninstalled_date)
)

select * from final
