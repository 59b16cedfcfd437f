-- health_degradation (metric-definitions §7): a connection's 7-day success
-- rate, defined only with at least `health_degradation_min_attempts`
-- attempts in the window, falls below `health_degradation_success_rate`
-- while no degradation of it is open. One row per firing, in the columns
-- every alert model shares (fct_integration_alerts unions them).
-- The rate can change only on the days of int_connection_success_rates and
-- holds between them, so it is evaluated on those days.
-- Incremental (incremental_alert_config: replace_days on fired_date): a run
-- re-derives the firings from the first day int_connection_success_rates can
-- have re-derived since this model's last run (its newest rate day then,
-- rates_through_date, minus the window and `incremental_lookback_days`),
-- taking whether a degradation was open from each connection's last defined
-- rate before that day; a post-hook restamps as_of_date and
-- rates_through_date on the rows kept (restamp_alert_watermarks).
{%- set threshold = var('health_degradation_success_rate') %}
{{ config(**integration_adoption.incremental_alert_config()) }}
{%- if is_incremental() %}
    {%- set first_day = integration_adoption.incremental_alert_first_day() %}
{%- endif %}
with

success_rates as {{ integration_adoption.cte_not_materialized() }} (
    select * from {{ ref('int_connection_success_rates') }}
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

rates_through as (
    select {{ integration_adoption.alert_rates_through_date() }} as rates_through_date
),

defined_rates as (
    -- defined only with enough attempts in the window
    select
        connection_id,
        rate_date,
        success_rate_7d
    from success_rates
    where attempts_7d >= {{ var('health_degradation_min_attempts') }}
    {%- if is_incremental() %}
        -- the days re-derived
        and rate_date >= {{ first_day }}
    {%- endif %}
),

earlier_rates as (
    -- each connection's last defined rate before the days re-derived, and
    -- whether it was below the threshold (none on a full build)
    select
        connection_id,
        max(rate_date) as last_defined_date,
        max(case when success_rate_7d < {{ threshold }} then rate_date end) as last_degraded_date
    from success_rates
    where
        attempts_7d >= {{ var('health_degradation_min_attempts') }}
        {%- if is_incremental() %}
            -- the days before
            and rate_date < {{ first_day }}
        {%- else %}
            -- none
            and false
        {%- endif %}
    group by connection_id
),

rate_transitions as (
    -- a degradation stays open until a later day with a defined rate of at
    -- least the threshold: days with an undefined rate close nothing, so the
    -- previous day compared with is the previous one with a defined rate
    select
        defined_rates.connection_id,
        defined_rates.rate_date,
        defined_rates.success_rate_7d,
        defined_rates.success_rate_7d < {{ threshold }} as is_degraded,
        coalesce(
            lag(defined_rates.success_rate_7d < {{ threshold }}) over (
                partition by defined_rates.connection_id
                order by defined_rates.rate_date
            ),
            earlier_rates.last_degraded_date = earlier_rates.last_defined_date,
            false
        ) as was_degraded
    from defined_rates
    left join earlier_rates
        on defined_rates.connection_id = earlier_rates.connection_id
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
        as_of.as_of_date,
        rates_through.rates_through_date
    from rate_transitions
    inner join lifecycle
        on rate_transitions.connection_id = lifecycle.connection_id
    cross join as_of
    cross join rates_through
    where
        rate_transitions.is_degraded
        and not rate_transitions.was_degraded
        and rate_transitions.rate_date <= lifecycle.state_end_date
        and (lifecycle.uninstalled_date is null or rate_transitions.rate_date < lifecycle.uninstalled_date)
)

select * from final
