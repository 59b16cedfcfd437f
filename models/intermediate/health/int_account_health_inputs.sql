-- The raw inputs of the account health score (metric-definitions §6) on
-- every day a score is stored (daily over the recent window, Mondays before
-- it, from the first install) and on the days its changes compare with.
-- Window sums are range frames over one series of activity and point days,
-- the 7-day success rate the row of int_account_success_rates holding on d
-- (macro account_activity_windows): cost grows with activity and stored days.
-- Incremental (replace_days): a run recomputes from the newest stored day minus
-- `incremental_lookback_days` (minus the long window too when the daily history is shorter:
-- a new score's d − 30 was no point before), reading two long windows before that; post-hooks
-- drop the rows no stored score needs and restamp is_stored as the as-of date moves on.
{%- set short_days = var('health_short_window_days') %}
{%- set long_days = var('health_long_window_days') %}
{%- set comparison_offsets = [short_days, long_days] %}
{%- set extra_days = long_days if var('health_daily_history_days') < long_days else 0 %}
{%- set rates_read = 'true' %}
{{
    config(
        post_hook=[
            "{{ integration_adoption.prune_account_health_inputs(" ~ comparison_offsets ~ ") }}",
            "{{ integration_adoption.restamp_account_health_inputs(" ~ comparison_offsets ~ ") }}",
        ],
        **integration_adoption.incremental_replace_days_config(
            'computation_date', extra_days, rewritten_columns=['is_stored'])
    )
}}
{%- if is_incremental() %}
    {%- set recompute_from = integration_adoption.incremental_first_day('computation_date', extra_days) %}
    {%- set read_from = integration_adoption.add_days(-2 * long_days, recompute_from) %}
    {#- a row ending before the first day recomputed is followed by one starting by then -#}
    {%- set rates_read = 'valid_to is null or valid_to >= ' ~ recompute_from %}
{%- endif %}
with

account_activity as (
    select * from {{ ref('int_account_activity_daily') }}
    {%- if is_incremental() %}
        where activity_date >= {{ read_from }}
    {%- endif %}
),

success_rates as (
    -- the account's 7-day sums and rate (int_account_success_rates, the one
    -- definition); an incremental run reads the rows holding from the first day it recomputes on
    select
        *,
        rate_date as change_date
    from {{ ref('int_account_success_rates') }}
    where {{ rates_read }}
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

computation_days as (
    -- each stored day and the days its changes compare with (as the post-hooks keep them)
    select date_day as computation_date
    from spine
    where
        {%- for offset in [0] + comparison_offsets %}
            {{ integration_adoption.account_health_is_stored(
                integration_adoption.add_days(offset, 'date_day'), 'first_date', 'last_date') }}
            {%- if not loop.last %} or{% endif %}
        {%- endfor %}
),

computation_dates as (
    -- none before the first install: no score exists there to compare with (§6)
    select
        first_installs.account_id,
        computation_days.computation_date
    from first_installs
    inner join computation_days
        on first_installs.first_installed_date <= computation_days.computation_date
    {%- if is_incremental() %}
        where computation_days.computation_date >= {{ recompute_from }}
    {%- endif %}
),

-- the short and long windows ending on the day, and the long one before it
windows as (
    {{ integration_adoption.account_activity_windows(
        'computation_dates', 'account_activity',
        [('api_calls_7d', 'api_calls', 0, short_days), ('records_synced_7d', 'records_synced', 0, short_days),
         ('attempt_count_30d', 'attempt_count', 0, long_days),
         ('work_event_count_30d', 'work_event_count', 0, long_days),
         ('scheduled_work_count_30d', 'scheduled_work_count', 0, long_days),
         ('work_day_count_30d', 'work_day_count', 0, long_days),
         ('records_synced_30d', 'records_synced', 0, long_days),
         ('records_synced_prev_30d', 'records_synced', long_days, 2 * long_days)],
        long_days, 'success_rates') }}
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
        -- the account's row holding on the day (0 and null before its first)
        coalesce(success_rates.attempts_7d, 0) as attempts_7d,
        coalesce(success_rates.work_events_7d, 0) as work_events_7d,
        success_rates.success_rate_7d,
        coalesce(success_rates.failures_7d, 0) as failures_7d,
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
                {{ dbt.datediff('windows.first_work_date', 'windows.last_work_date', 'day') }}
                / cast(windows.work_day_count_30d - 1 as {{ integration_adoption.type_double() }})
        end as mean_days_between_work_30d,
        coalesce(depth_spells.max_features_on_active_connection, 0) as max_features_on_active_connection,
        windows.records_synced_30d as records_30d,
        windows.records_synced_prev_30d as records_prev_30d,
        {{ integration_adoption.safe_divide(
            'windows.records_synced_30d - windows.records_synced_prev_30d',
            'windows.records_synced_prev_30d') }} as records_growth_30d,

        ---------- booleans
        {{ integration_adoption.account_health_is_stored('windows.computation_date', 'bounds.first_date', 'bounds.last_date') }}
            as is_stored,

        ---------- dates
        {{ last_work_date }} as last_work_date,
        first_installs.first_installed_date,
        windows.computation_date
    from windows
    inner join {{ ref('int_accounts') }} as account_attributes
        on windows.account_id = account_attributes.account_id
    -- the points are read once (a second read would store all of them first)
    inner join first_installs
        on windows.account_id = first_installs.account_id
    cross join bounds
    {%- if is_incremental() %}
        left join work_before_read
            on windows.account_id = work_before_read.account_id
    {%- endif %}
    left join success_rates
        on
            windows.account_id = success_rates.account_id
            and windows.last_change_date = success_rates.rate_date
    left join {{ ref('int_account_activation_depth_spells') }} as depth_spells
        on
            windows.account_id = depth_spells.account_id
            and windows.computation_date >= depth_spells.valid_from
            and (depth_spells.valid_to is null or windows.computation_date <= depth_spells.valid_to)
)

select * from final
