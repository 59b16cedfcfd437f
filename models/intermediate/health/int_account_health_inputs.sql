-- The raw inputs of the account health score (metric-definitions §6) on
-- every day a score is stored (daily over the recent window, Mondays before
-- it, from the first install) and on the days the score changes compare
-- with. Window sums are running totals probed at d and one and two windows
-- back (macro account_activity_windows): the cost grows with activity days
-- and stored days, not accounts × days.
-- Incremental (strategy replace_days): a run recomputes the days from the
-- newest stored day minus `incremental_lookback_days` minus the long window,
-- reading activity from two long windows before that (the earliest probe)
-- and the last work day before those. Post-hooks then drop the rows no stored
-- score needs any more and set is_stored again, as the as-of date moves on.
{%- set short_days = var('health_short_window_days') %}
{%- set long_days = var('health_long_window_days') %}
{%- set comparison_offsets = [short_days, long_days] %}
{{
    config(
        post_hook=[
            "{{ integration_adoption.prune_account_health_inputs(" ~ comparison_offsets ~ ") }}",
            "{{ integration_adoption.restamp_account_health_inputs() }}",
        ],
        **integration_adoption.incremental_replace_days_config('computation_date', long_days)
    )
}}
{%- if is_incremental() %}
    {%- set recompute_from = integration_adoption.incremental_first_day('computation_date', long_days) %}
    {%- set read_from = integration_adoption.add_days(-2 * long_days, recompute_from) %}
{%- endif %}
with

account_activity as (
    select * from {{ ref('int_account_activity_daily') }}
    {%- if is_incremental() %}
        where activity_date >= {{ read_from }}
    {%- endif %}
),

first_installs as (
    select
        account_id,
        min(installed_date) as first_installed_date
    from {{ ref('int_connections_lifecycle') }}
    group by account_id
),

bounds as (
    select
        min(first_installs.first_installed_date) as first_date,
        min(as_of.as_of_date) as last_date
    from first_installs
    cross join {{ ref('int_as_of_date') }} as as_of
),

spine as (
    {{ integration_adoption.date_spine('bounds', 'first_date', 'last_date') }}
),

history_days as (
    -- daily over the recent window, Mondays before it
    select spine.date_day
    from spine
    where
        spine.date_day > {{ integration_adoption.add_days(-var('health_daily_history_days'), 'spine.last_date') }}
        or cast({{ dbt.date_trunc('week', 'spine.date_day') }} as date) = spine.date_day
),

stored_dates as (
    select
        first_installs.account_id,
        history_days.date_day as score_date
    from first_installs
    inner join history_days
        on first_installs.first_installed_date <= history_days.date_day
    {%- if is_incremental() %}
        where history_days.date_day >= {{ recompute_from }}
    {%- endif %}
),

all_computation_dates as (
    select
        account_id,
        score_date as computation_date
    from stored_dates
    {%- for offset in comparison_offsets %}
        union
        select
            account_id,
            {{ integration_adoption.add_days(-offset, 'score_date') }} as computation_date
        from stored_dates
    {%- endfor %}
),

computation_dates as (
    -- no score exists before the first install, so none is compared with (§6)
    select all_computation_dates.*
    from all_computation_dates
    inner join first_installs
        on
            all_computation_dates.account_id = first_installs.account_id
            and all_computation_dates.computation_date >= first_installs.first_installed_date
    {%- if is_incremental() %}
        where all_computation_dates.computation_date >= {{ recompute_from }}
    {%- endif %}
),

-- the short and long windows ending on the day, and the long one before it
windows as (
    {{ integration_adoption.account_activity_windows(
        'computation_dates', 'account_activity',
        ['attempt_count', 'work_event_count', 'failure_event_count', 'scheduled_work_count',
         'api_calls', 'records_synced', 'work_day_count'],
        [('7d', 0, short_days), ('30d', 0, long_days), ('prev_30d', long_days, 2 * long_days)], '30d') }}
),

{%- set last_work_date = 'windows.last_work_date' %}
{%- if is_incremental() %}

work_before_read as (
    -- the last work day before the days this run reads
    select
        account_id,
        max(activity_date) as last_work_date
    from {{ ref('int_account_activity_daily') }}
    where
        work_event_count > 0
        and activity_date < {{ read_from }}
    group by account_id
),
    {%- set last_work_date = 'coalesce(windows.last_work_date, work_before_read.last_work_date)' %}
{%- endif %}

final as (
    select
        ---------- ids
        windows.account_id,

        ---------- strings
        account_attributes.segment,

        ---------- numerics
        coalesce(depth_spells.active_integrations, 0) as active_integrations,
        coalesce(depth_spells.active_categories, 0) as active_categories,
        windows.api_calls_7d / cast({{ short_days }} as {{ integration_adoption.type_double() }})
            as api_calls_per_day_7d,
        windows.records_synced_7d as records_7d,
        windows.attempt_count_7d as attempts_7d,
        windows.work_event_count_7d as work_events_7d,
        {{ integration_adoption.safe_divide('windows.work_event_count_7d', 'windows.attempt_count_7d') }}
            as success_rate_7d,
        windows.failure_event_count_7d as failures_7d,
        {{ dbt.datediff(last_work_date, 'windows.computation_date', 'day') }}
            as days_since_last_work,
        windows.attempt_count_30d as attempts_30d,
        windows.work_event_count_30d as work_events_30d,
        -- null without work in the window (a rate with no denominator, §6)
        {{ integration_adoption.safe_divide('windows.scheduled_work_count_30d', 'windows.work_event_count_30d') }}
            as scheduled_share_30d,
        windows.work_day_count_30d as work_days_30d,
        case
            -- fewer than two work days in the window: the mean gap is the window
            when windows.work_day_count_30d < 2 then {{ long_days }}.0
            else
                {{ dbt.datediff('windows.first_work_date_30d', 'windows.last_work_date', 'day') }}
                / cast(windows.work_day_count_30d - 1 as {{ integration_adoption.type_double() }})
        end as mean_days_between_work_30d,
        coalesce(depth_spells.max_features_on_active_connection, 0) as max_features_on_active_connection,
        windows.records_synced_30d as records_30d,
        windows.records_synced_prev_30d as records_prev_30d,
        {{ integration_adoption.safe_divide(
            'windows.records_synced_30d - windows.records_synced_prev_30d',
            'windows.records_synced_prev_30d') }} as records_growth_30d,

        ---------- booleans
        stored_dates.account_id is not null as is_stored,

        ---------- dates
        {{ last_work_date }} as last_work_date,
        first_installs.first_installed_date,
        windows.computation_date
    from windows
    inner join {{ ref('int_accounts') }} as account_attributes
        on windows.account_id = account_attributes.account_id
    inner join first_installs
        on windows.account_id = first_installs.account_id
    {%- if is_incremental() %}
        left join work_before_read
            on windows.account_id = work_before_read.account_id
    {%- endif %}
    left join {{ ref('int_account_activation_depth_spells') }} as depth_spells
        on
            windows.account_id = depth_spells.account_id
            and windows.computation_date >= depth_spells.valid_from
            and (depth_spells.valid_to is null or windows.computation_date <= depth_spells.valid_to)
    left join stored_dates
        on
            windows.account_id = stored_dates.account_id
            and windows.computation_date = stored_dates.score_date
)

select * from final
