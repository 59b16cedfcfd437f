-- Connection-level health (metric-definitions §6): one row per connection per
-- day with attempts or a change of state, carrying the per-connection inputs
-- of the score — 7-day success rate, failures, days since the last success,
-- cadence, scheduled share, sophistication features, volume growth.
-- Rolling windows are range frames over day numbers on these sparse rows.
-- Incremental (strategy replace_days): a run recomputes the days from the
-- newest stored day minus `incremental_lookback_days` on, reading 59 days
-- further back (the longest frame: records 59 to 30 days before); the last
-- work day before those comes from the connection's activity.
{%- set longest_frame_days = 59 %}
{{ config(**integration_adoption.incremental_replace_days_config('health_date')) }}
{%- if is_incremental() %}
    {%- set recompute_from = integration_adoption.incremental_first_day('health_date') %}
    {%- set read_from = integration_adoption.add_days(-longest_frame_days, recompute_from) %}
{%- endif %}
with

activity as (
    select * from {{ ref('int_connection_activity_daily') }}
),

spells as (
    select * from {{ ref('int_connection_state_spells') }}
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

feature_spells as (
    select * from {{ ref('int_connection_feature_spells') }}
),

rhythm as (
    select * from {{ ref('int_connection_rhythm_spells') }}
),

in_scope_activity as (
    select activity.*
    from activity
    inner join lifecycle
        on activity.connection_id = lifecycle.connection_id
    where
        activity.activity_date between lifecycle.installed_date and lifecycle.state_end_date
        and {{ 'activity.activity_date >= ' ~ read_from if is_incremental() else 'true' }}
),

health_days as (
    select
        connection_id,
        activity_date as health_date
    from in_scope_activity
    where attempt_count > 0
    union
    select
        connection_id,
        valid_from as health_date
    from spells
    {%- if is_incremental() %}
        where valid_from >= {{ read_from }}
    {%- endif %}
),

series as (
    select
        health_days.connection_id,
        health_days.health_date,
        {{ dbt.datediff("cast('1970-01-01' as date)", 'health_days.health_date', 'day') }} as day_number,
        coalesce(in_scope_activity.attempt_count, 0) as attempt_count,
        coalesce(in_scope_activity.work_event_count, 0) as work_event_count,
        coalesce(in_scope_activity.failure_event_count, 0) as failure_event_count,
        coalesce(in_scope_activity.scheduled_work_count, 0) as scheduled_work_count,
        coalesce(in_scope_activity.records_synced, 0) as records_synced,
        coalesce(in_scope_activity.api_calls, 0) as api_calls,
        case when in_scope_activity.work_event_count > 0 then health_days.health_date end as work_date
    from health_days
    left join in_scope_activity
        on
            health_days.connection_id = in_scope_activity.connection_id
            and health_days.health_date = in_scope_activity.activity_date
),

{%- set windows = [('7d', 6), ('30d', 29)] %}

rolled as (
    select
        series.*,
        {%- for span, preceding in windows %}
            {%- for measure in ['attempt_count', 'work_event_count', 'failure_event_count', 'scheduled_work_count', 'records_synced'] %}
                sum({{ measure }}) over (
                    partition by series.connection_id
                    order by series.day_number
                    range between {{ preceding }} preceding and current row
                ) as {{ measure }}_{{ span }},
            {%- endfor %}
        {%- endfor %}
        sum(series.records_synced) over (
            partition by series.connection_id
            order by series.day_number
            range between {{ longest_frame_days }} preceding and 30 preceding
        ) as records_synced_prev_30d,
        max(series.work_date) over (
            partition by series.connection_id
            order by series.day_number
            rows between unbounded preceding and current row
        ) as last_work_date
    from series
),

{%- if is_incremental() %}

work_before_read as (
    -- the last work day before the days this run reads
    select
        activity.connection_id,
        max(activity.activity_date) as last_work_date
    from activity
    inner join lifecycle
        on activity.connection_id = lifecycle.connection_id
    where
        activity.work_event_count > 0
        and activity.activity_date between lifecycle.installed_date and lifecycle.state_end_date
        and activity.activity_date < {{ read_from }}
    group by activity.connection_id
),
    {%- set last_work_date = 'coalesce(rolled.last_work_date, work_before_read.last_work_date)' %}
{%- else %}
    {%- set last_work_date = 'rolled.last_work_date' %}
{%- endif %}

final as (
    select
        ---------- ids
        cast(rolled.connection_id as {{ dbt.type_string() }}) as connection_id,
        cast(lifecycle.account_id as {{ dbt.type_string() }}) as account_id,
        cast(lifecycle.integration_key as {{ dbt.type_string() }}) as integration_key,

        ---------- strings
        cast(spells.state as {{ dbt.type_string() }}) as state,
        cast(lifecycle.intended_cadence as {{ dbt.type_string() }}) as intended_cadence,

        ---------- numerics
        {%- set double = integration_adoption.type_double() %}
        cast(rolled.attempt_count as {{ dbt.type_bigint() }}) as attempts,
        cast(rolled.work_event_count as {{ dbt.type_bigint() }}) as work_events,
        cast(rolled.failure_event_count as {{ dbt.type_bigint() }}) as failure_events,
        cast(rolled.attempt_count_7d as {{ dbt.type_bigint() }}) as attempts_7d,
        cast(rolled.work_event_count_7d as {{ dbt.type_bigint() }}) as work_events_7d,
        cast(rolled.failure_event_count_7d as {{ dbt.type_bigint() }}) as failures_7d,
        cast(
            {{ integration_adoption.safe_divide('rolled.work_event_count_7d', 'rolled.attempt_count_7d') }}
            as {{ double }}
        ) as success_rate_7d,
        cast(
            {{ dbt.datediff(last_work_date, 'rolled.health_date', 'day') }}
            as {{ dbt.type_bigint() }}
        ) as days_since_last_work,
        cast(
            {{ integration_adoption.safe_divide('rolled.scheduled_work_count_30d', 'rolled.work_event_count_30d') }}
            as {{ double }}
        ) as scheduled_share_30d,
        cast(rolled.records_synced_30d as {{ dbt.type_bigint() }}) as records_30d,
        cast(coalesce(rolled.records_synced_prev_30d, 0) as {{ dbt.type_bigint() }}) as records_prev_30d,
        cast(
            {{ integration_adoption.safe_divide(
                'rolled.records_synced_30d - rolled.records_synced_prev_30d',
                'rolled.records_synced_prev_30d') }}
            as {{ double }}
        ) as records_growth_30d,
        cast(coalesce(feature_spells.features_in_use, 0) as {{ dbt.type_int() }}) as features_in_use,

        ---------- booleans
        coalesce(feature_spells.is_bidirectional, false) as is_bidirectional,
        coalesce(feature_spells.has_custom_fields, false) as has_custom_fields,
        coalesce(feature_spells.has_filters, false) as has_filters,
        coalesce(feature_spells.has_transformations, false) as has_transformations,
        rhythm.connection_id is not null as is_rhythm_met,

        ---------- dates
        rolled.health_date,
        {{ last_work_date }} as last_work_date
    from rolled
    inner join lifecycle
        on rolled.connection_id = lifecycle.connection_id
    inner join spells
        on
            rolled.connection_id = spells.connection_id
            and rolled.health_date between spells.valid_from and spells.valid_to
    left join feature_spells
        on
            rolled.connection_id = feature_spells.connection_id
            and rolled.health_date >= feature_spells.valid_from
            and (feature_spells.valid_to is null or rolled.health_date <= feature_spells.valid_to)
    left join rhythm
        on
            rolled.connection_id = rhythm.connection_id
            and rolled.health_date between rhythm.valid_from and rhythm.valid_to
    {%- if is_incremental() %}
        left join work_before_read
            on rolled.connection_id = work_before_read.connection_id
    where rolled.health_date >= {{ recompute_from }}
    {%- endif %}
)

select * from final
