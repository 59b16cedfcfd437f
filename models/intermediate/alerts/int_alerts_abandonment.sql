-- abandonment (metric-definitions §7): a connection that worked goes quiet,
-- failures included. It fires on the first day with neither work nor failure
-- in the max(`abandonment_min_days`, W) days ending on it (broken is not
-- abandoned until the last failure has left that window) and stays open
-- until the next work event. So each attempt day from the first work on
-- whose next attempt comes more than max(14, W) days later is a candidate,
-- firing max(14, W) days after it, and the first candidate after each work
-- day fires. One row per firing, in the columns every alert model shares
-- (fct_integration_alerts unions them).
-- Incremental (incremental_alert_config, as int_alerts_health_degradation):
-- a run re-derives the firings from its first day (the newest rate day at the
-- last run, rates_through_date, minus the window and the lookback), reading
-- the attempt days from the longest quiet before it, with each connection's
-- last work day before those; a work day whose quiet already fired before the
-- first day (a stored row) fires nothing new.
{{ config(**integration_adoption.incremental_alert_config()) }}
{%- if is_incremental() %}
    {%- set first_day = integration_adoption.incremental_alert_first_day() %}
    {#- the attempt days of the firings from first_day on: the longest quiet before it -#}
    {%- set min_days = var('abandonment_min_days') %}
    {%- set longest_quiet = integration_adoption.compiled_scalar(
        'select max(case when active_window_days > ' ~ min_days ~ ' then active_window_days else ' ~ min_days
        ~ ' end) from ' ~ ref('int_connections_lifecycle')) %}
    {%- set read_from = integration_adoption.add_days('-coalesce(' ~ longest_quiet ~ ', 0)', first_day) %}
{%- endif %}
with

success_rates as {{ integration_adoption.cte_not_materialized() }} (
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

rates_through as (
    select {{ integration_adoption.alert_rates_through_date() }} as rates_through_date
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

earlier_work as (
    -- each connection's last work day before the attempt days read (none on
    -- a full build, which reads them all)
    select
        connection_id,
        max(rate_date) as last_work_date
    from success_rates
    where
        work_event_count > 0
        {%- if is_incremental() %}
            -- the days before
            and rate_date < {{ read_from }}
        {%- else %}
            -- none
            and false
        {%- endif %}
    group by connection_id
),

attempt_days as (
    select
        success_rates.connection_id,
        quiet_windows.quiet_days,
        success_rates.rate_date as activity_date,
        coalesce(
            max(case when success_rates.work_event_count > 0 then success_rates.rate_date end) over (
                partition by success_rates.connection_id
                order by success_rates.rate_date
                rows between unbounded preceding and current row
            ),
            earlier_work.last_work_date
        ) as last_work_date,
        lead(success_rates.rate_date) over (
            partition by success_rates.connection_id
            order by success_rates.rate_date
        ) as next_attempt_date
    from success_rates
    inner join quiet_windows
        on success_rates.connection_id = quiet_windows.connection_id
    left join earlier_work
        on success_rates.connection_id = earlier_work.connection_id
    {%- if is_incremental() %}
        where success_rates.rate_date >= {{ read_from }}
    {%- endif %}
),

quiet_ends as (
    -- an attempt day followed by fewer than the minimum quiet days (most of
    -- them) cannot fire
    select
        connection_id,
        last_work_date,
        quiet_days,
        {{ integration_adoption.add_days('quiet_days', 'activity_date') }} as fired_date,
        next_attempt_date
    from attempt_days
    where
        -- active before: a work event on or before the attempt day
        last_work_date is not null
        {%- if is_incremental() %}
            -- the firings re-derived
            and {{ integration_adoption.add_days('quiet_days', 'activity_date') }} >= {{ first_day }}
        {%- endif %}
        and (
            next_attempt_date is null
            or next_attempt_date > {{ integration_adoption.add_days(var('abandonment_min_days'), 'activity_date') }}
        )
),

first_quiet_ends as (
    -- one open abandonment per work day: the first quiet after it
    select
        quiet_ends.connection_id,
        quiet_ends.last_work_date,
        min(quiet_ends.quiet_days) as quiet_days,
        min(quiet_ends.fired_date) as fired_date
    from quiet_ends
    {%- if is_incremental() %}
        -- a work day whose quiet fired before the first day (stored) fires nothing new
        left join {{ this }} as fired_before
            on
                quiet_ends.connection_id = fired_before.connection_id
                and quiet_ends.last_work_date = fired_before.last_work_date
                and fired_before.fired_date < {{ first_day }}
    {%- endif %}
    where (quiet_ends.next_attempt_date is null or quiet_ends.next_attempt_date > quiet_ends.fired_date)
    {%- if is_incremental() %}
        -- not fired before the first day
        and fired_before.connection_id is null
    {%- endif %}
    group by quiet_ends.connection_id, quiet_ends.last_work_date
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
        as_of.as_of_date,
        first_quiet_ends.last_work_date,
        rates_through.rates_through_date
    from first_quiet_ends
    inner join lifecycle
        on first_quiet_ends.connection_id = lifecycle.connection_id
    cross join as_of
    cross join rates_through
    where
        first_quiet_ends.fired_date <= as_of.as_of_date
        -- not uninstalled by d
        and (lifecycle.uninstalled_date is null or lifecycle.uninstalled_date > first_quiet_ends.fired_date)
)

select * from final
