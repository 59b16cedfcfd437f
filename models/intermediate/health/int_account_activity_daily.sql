{{ config(**integration_adoption.incremental_replace_days_config('activity_date')) }}
-- One row per account per day with events on any of its connections (sparse):
-- the account-level volumes the health score reads (metric-definitions §6).
-- Incremental: a run re-derives the days from the newest stored day minus
-- `incremental_lookback_days` on (strategy replace_days).
{%- if is_incremental() %}
    {%- set incremental_window = 'activity_date >= '
        ~ integration_adoption.incremental_first_day('activity_date') %}
{%- else %}
    {%- set incremental_window = 'true' %}
{%- endif %}
with

activity as (
    select * from {{ ref('int_connection_activity_daily') }}
    where {{ incremental_window }}
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

in_scope as (
    -- days the connection has a state: install to the as-of date or the uninstall day
    select activity.*
    from activity
    inner join lifecycle
        on activity.connection_id = lifecycle.connection_id
    where activity.activity_date between lifecycle.installed_date and lifecycle.state_end_date
),

final as (
    select
        account_id,
        activity_date,
        -- bigint: DuckDB sums into a 128-bit hugeint, twice the bytes in every window over these days
        cast(sum(work_event_count) as {{ dbt.type_bigint() }}) as work_event_count,
        cast(sum(failure_event_count) as {{ dbt.type_bigint() }}) as failure_event_count,
        cast(sum(attempt_count) as {{ dbt.type_bigint() }}) as attempt_count,
        cast(sum(scheduled_work_count) as {{ dbt.type_bigint() }}) as scheduled_work_count,
        cast(sum(api_calls) as {{ dbt.type_bigint() }}) as api_calls,
        cast(sum(records_synced) as {{ dbt.type_bigint() }}) as records_synced,
        case when sum(work_event_count) > 0 then 1 else 0 end as work_day_count
    from in_scope
    group by account_id, activity_date
)

select * from final
