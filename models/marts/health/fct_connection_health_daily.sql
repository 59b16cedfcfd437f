-- Connection-level health (metric-definitions §6): a row per connection and day with attempts or
-- a change of state: 7-day success rate and failures (the int_connection_success_rates row holding
-- on the day), days since the last success, cadence, features, and range frames of L days (var
-- health_long_window_days). Incremental (replace_days): from the newest stored day minus the
-- lookback, reading 2L − 1 days before; the last work day before those: earlier attempt days.
-- Built after the account health mart (not read), so no two health windows share DuckDB's
-- memory limit (100 M: 13.8 GB spilled). depends_on: {{ ref('fct_account_health_daily') }}
{%- set long_window_days = var('health_long_window_days') %}
{%- set longest_frame_days = 2 * long_window_days - 1 %}
{%- set volumes = ['attempt_count', 'work_event_count', 'failure_event_count', 'scheduled_work_count', 'records_synced'] %}
{%- set sums = ['attempts_7d', 'work_events_7d', 'failures_7d'] %}
{{ config(**integration_adoption.incremental_replace_days_config('health_date')) }}
{%- if is_incremental() %}
    {%- set recompute_from = integration_adoption.incremental_first_day('health_date') %}
    {%- set read_from = integration_adoption.add_days(-longest_frame_days, recompute_from) %}
{%- endif %}
with

success_rates as {{ integration_adoption.cte_not_materialized() }} (
    select * from {{ ref('int_connection_success_rates') }}
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

rates_holding as (
    select * from success_rates
    where {{ 'valid_to is null or valid_to >= ' ~ read_from if is_incremental() else 'true' }}
),

attempt_rows as (
    -- an attempt day's own row of success rates is the one holding on it
    select * from success_rates
    where is_attempt_day and {{ 'rate_date >= ' ~ read_from if is_incremental() else 'true' }}
),

series as (
    -- each health day's own volumes and the 7-day sums of the row of success rates holding
    -- on it (none before the first attempt): an attempt day's own row, else found by date
    select
        connection_id,
        rate_date as health_date,
        {{ dbt.datediff("cast('1970-01-01' as date)", 'rate_date', 'day') }} as day_number,
        {{ (volumes + sums) | join(', ') }},
        success_rate_7d,
        case when work_event_count > 0 then rate_date end as work_date
    from attempt_rows
    union all
    select
        spells.connection_id,
        spells.valid_from as health_date,
        {{ dbt.datediff("cast('1970-01-01' as date)", 'spells.valid_from', 'day') }} as day_number,
        {%- for volume in volumes %}
            0 as {{ volume }},
        {%- endfor %}
        {%- for summed in sums %}
            coalesce(success_rates.{{ summed }}, 0) as {{ summed }},
        {%- endfor %}
        success_rates.success_rate_7d,
        cast(null as date) as work_date
    from spells
    left join attempt_rows
        on
            spells.connection_id = attempt_rows.connection_id
            and spells.valid_from = attempt_rows.rate_date
    left join rates_holding as success_rates
        on
            spells.connection_id = success_rates.connection_id
            and spells.valid_from >= success_rates.rate_date
            and (success_rates.valid_to is null or spells.valid_from <= success_rates.valid_to)
    where
        -- the days a spell starts on that are not attempt days
        attempt_rows.connection_id is null
        and {{ 'spells.valid_from >= ' ~ read_from if is_incremental() else 'true' }}
),

rolled as (
    select
        series.*,
        {%- for volume in ['work_event_count', 'scheduled_work_count', 'records_synced'] %}
            sum(series.{{ volume }}) over (
                partition by series.connection_id
                order by series.day_number
                range between {{ long_window_days - 1 }} preceding and current row
            ) as {{ volume }}_30d,
        {%- endfor %}
        sum(series.records_synced) over (
            partition by series.connection_id
            order by series.day_number
            range between {{ longest_frame_days }} preceding and {{ long_window_days }} preceding
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
        connection_id,
        max(rate_date) as last_work_date
    from success_rates
    where work_event_count > 0 and rate_date < {{ read_from }}
    group by connection_id
),
    {%- set last_work_date = 'coalesce(rolled.last_work_date, work_before_read.last_work_date)' %}
{%- else %}
    {%- set last_work_date = 'rolled.last_work_date' %}
{%- endif %}

final as (
    select
        ---------- ids
        cast(rolled.connection_id as {{ integration_adoption.type_contract_string() }}) as connection_id,
        cast(lifecycle.account_id as {{ integration_adoption.type_contract_string() }}) as account_id,
        cast(lifecycle.integration_key as {{ integration_adoption.type_contract_string() }}) as integration_key,

        ---------- strings
        cast(spells.state as {{ integration_adoption.type_contract_string() }}) as state,
        cast(lifecycle.intended_cadence as {{ integration_adoption.type_contract_string() }}) as intended_cadence,

        ---------- numerics
        {%- set double = integration_adoption.type_double() %}
        cast(rolled.attempt_count as {{ dbt.type_bigint() }}) as attempts,
        cast(rolled.work_event_count as {{ dbt.type_bigint() }}) as work_events,
        cast(rolled.failure_event_count as {{ dbt.type_bigint() }}) as failure_events,
        cast(rolled.attempts_7d as {{ dbt.type_bigint() }}) as attempts_7d,
        cast(rolled.work_events_7d as {{ dbt.type_bigint() }}) as work_events_7d,
        cast(rolled.failures_7d as {{ dbt.type_bigint() }}) as failures_7d,
        cast(rolled.success_rate_7d as {{ double }}) as success_rate_7d,
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
