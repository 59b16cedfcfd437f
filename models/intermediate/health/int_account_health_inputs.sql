-- The raw inputs of the account health score (metric-definitions §6) on
-- every day a score is stored (daily over the last `health_daily_history_days`
-- days, Mondays before that, from the account's first install) and on the
-- days 7 and 30 before each, which score_change_7d / _30d compare with.
-- Window sums come from running totals probed at d, d − 7, d − 30 and d − 60,
-- so the cost grows with activity days and stored days, not accounts × days.
-- Incremental (strategy replace_days): a run recomputes the days from the
-- newest stored day minus `incremental_lookback_days` minus 30 (a new
-- score compares with d − 30), reading activity from 60 days before that
-- (the earliest probe); the last work day before those comes from the
-- account's activity. Post-hooks then drop the rows no stored score needs
-- any more and set is_stored again, as the as-of date moves on.
{%- set probe_offsets = [0, 7, 30, 60] %}
{%- set comparison_offsets = [7, 30] %}
{{
    config(
        post_hook=[
            "{{ integration_adoption.prune_account_health_inputs(" ~ comparison_offsets ~ ") }}",
            "{{ integration_adoption.restamp_account_health_inputs() }}",
        ],
        **integration_adoption.incremental_replace_days_config('computation_date', comparison_offsets | max)
    )
}}
{%- if is_incremental() %}
    {%- set recompute_from = integration_adoption.incremental_first_day(
        'computation_date', comparison_offsets | max) %}
    {%- set read_from = integration_adoption.add_days(-(probe_offsets | max), recompute_from) %}
{%- endif %}
with

accounts as (
    select * from {{ ref('int_accounts') }}
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

active_spells as (
    select * from {{ ref('int_connection_state_spells') }}
    where state = 'active'
),

feature_spells as (
    select * from {{ ref('int_connection_feature_spells') }}
),

account_activity as (
    select * from {{ ref('int_account_activity_daily') }}
    {%- if is_incremental() %}
        where activity_date >= {{ read_from }}
    {%- endif %}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

first_installs as (
    select
        account_id,
        min(installed_date) as first_installed_date
    from lifecycle
    group by account_id
),

bounds as (
    select
        min(first_installs.first_installed_date) as first_date,
        min(as_of.as_of_date) as last_date
    from first_installs
    cross join as_of
),

spine as (
    {{ integration_adoption.date_spine('bounds', 'first_date', 'last_date') }}
),

history_days as (
    -- daily over the recent window, Mondays before it
    select spine.date_day
    from spine
    cross join as_of
    where
        spine.date_day
        > {{ integration_adoption.add_days(-var('health_daily_history_days'), 'as_of.as_of_date') }}
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

-- ---------- activation depth and sophistication: what is active on the day
active_on_day as (
    select
        computation_dates.account_id,
        computation_dates.computation_date,
        active_spells.connection_id,
        active_spells.integration_key,
        lifecycle.integration_category
    from computation_dates
    inner join active_spells
        on
            computation_dates.account_id = active_spells.account_id
            and computation_dates.computation_date
            between active_spells.valid_from and active_spells.valid_to
    inner join lifecycle
        on active_spells.connection_id = lifecycle.connection_id
),

depth as (
    select
        active_on_day.account_id,
        active_on_day.computation_date,
        count(distinct active_on_day.integration_key) as active_integrations,
        count(distinct active_on_day.integration_category) as active_categories,
        max(coalesce(feature_spells.features_in_use, 0)) as max_features_on_active_connection
    from active_on_day
    left join feature_spells
        on
            active_on_day.connection_id = feature_spells.connection_id
            and active_on_day.computation_date >= feature_spells.valid_from
            and (
                feature_spells.valid_to is null
                or active_on_day.computation_date <= feature_spells.valid_to
            )
    group by active_on_day.account_id, active_on_day.computation_date
),

-- ---------- window sums: running totals probed at d, d − 7, d − 30, d − 60
probes as (
    {%- for offset in probe_offsets %}
        select
            account_id,
            computation_date,
            {{ offset }} as probe_offset,
            {{ integration_adoption.add_days(-offset, 'computation_date') }} as probe_date
        from computation_dates
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

{%- set measures = [
    'attempt_count', 'work_event_count', 'failure_event_count', 'scheduled_work_count',
    'api_calls', 'records_synced', 'work_day_count',
] %}

series as (
    select
        account_id,
        activity_date as point_date,
        0 as is_probe,
        {%- for measure in measures %}
            {{ measure }},
        {%- endfor %}
        case when work_event_count > 0 then activity_date end as work_date
    from account_activity
    union all
    select distinct
        account_id,
        probe_date as point_date,
        1 as is_probe,
        {%- for measure in measures %}
            0 as {{ measure }},
        {%- endfor %}
        cast(null as date) as work_date
    from probes
),

running as (
    select
        account_id,
        point_date,
        is_probe,
        {%- for measure in measures %}
            sum({{ measure }}) over (
                partition by account_id
                order by point_date, is_probe
                rows between unbounded preceding and current row
            ) as running_{{ measure }},
        {%- endfor %}
        max(work_date) over (
            partition by account_id
            order by point_date, is_probe
            rows between unbounded preceding and current row
        ) as last_work_date
    from series
),

probed as (
    select
        probes.account_id,
        probes.computation_date,
        probes.probe_offset,
        {%- for measure in measures %}
            running.running_{{ measure }},
        {%- endfor %}
        running.last_work_date
    from probes
    inner join running
        on
            probes.account_id = running.account_id
            and probes.probe_date = running.point_date
            and running.is_probe = 1
),

windows as (
    select
        account_id,
        computation_date,
        {%- for measure in measures %}
            {%- for span, late, early in [('7d', 0, 7), ('30d', 0, 30), ('prev_30d', 30, 60)] %}
                max(case when probe_offset = {{ late }} then running_{{ measure }} end)
                - max(case when probe_offset = {{ early }} then running_{{ measure }} end)
                    as {{ measure }}_{{ span }},
            {%- endfor %}
        {%- endfor %}
        max(case when probe_offset = 0 then running_work_day_count end) as work_days_to_date,
        max(case when probe_offset = 30 then running_work_day_count end) as work_days_before_window,
        max(case when probe_offset = 0 then last_work_date end) as last_work_date
    from probed
    group by account_id, computation_date
),

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
{%- endif %}

-- the first work day inside the 30-day window is the (work days before it + 1)-th
work_day_ordinals as (
    select
        account_id,
        activity_date as work_date,
        row_number() over (partition by account_id order by activity_date) as work_day_number
    from account_activity
    where work_event_count > 0
),

{%- if is_incremental() %}
    {%- set last_work_date = 'coalesce(windows.last_work_date, work_before_read.last_work_date)' %}
{%- else %}
    {%- set last_work_date = 'windows.last_work_date' %}
{%- endif %}

final as (
    select
        ---------- ids
        windows.account_id,

        ---------- strings
        accounts.segment,

        ---------- numerics
        coalesce(depth.active_integrations, 0) as active_integrations,
        coalesce(depth.active_categories, 0) as active_categories,
        windows.api_calls_7d / cast(7 as {{ integration_adoption.type_double() }}) as api_calls_per_day_7d,
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
            when windows.work_day_count_30d < 2 then 30.0
            else
                {{ dbt.datediff('first_in_window.work_date', 'windows.last_work_date', 'day') }}
                / cast(windows.work_day_count_30d - 1 as {{ integration_adoption.type_double() }})
        end as mean_days_between_work_30d,
        coalesce(depth.max_features_on_active_connection, 0) as max_features_on_active_connection,
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
    inner join accounts
        on windows.account_id = accounts.account_id
    inner join first_installs
        on windows.account_id = first_installs.account_id
    {%- if is_incremental() %}
        left join work_before_read
            on windows.account_id = work_before_read.account_id
    {%- endif %}
    left join depth
        on
            windows.account_id = depth.account_id
            and windows.computation_date = depth.computation_date
    left join work_day_ordinals as first_in_window
        on
            windows.account_id = first_in_window.account_id
            and windows.work_days_before_window + 1 = first_in_window.work_day_number
    left join stored_dates
        on
            windows.account_id = stored_dates.account_id
            and windows.computation_date = stored_dates.score_date
)

select * from final
