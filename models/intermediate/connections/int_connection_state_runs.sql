{{ config(**integration_adoption.incremental_by_key_config('connection_id', from_column='valid_from')) }}
{%- set sums = ['work_event_count', 'failure_event_count', 'records_synced', 'api_calls'] %}
-- One row per connection per maximal run of days in one state (§3), from the
-- install date on, with its activity. Cost grows with events, not
-- connections × days: a state changes only on a work or failure day d, on d + W
-- (the first day its window misses) and on the recompute start, activation and
-- uninstall days; each change day takes its state from the latest work and
-- failure days on or before it, and a run starts where the state changes.
-- Incremental (strategy replace_from on connection_id and valid_from, scope: macro
-- connection_state_scope): recently active connections are recomputed from the
-- changed-from date, quiet live ones from the day after their last stored day, new
-- ones from their install; each connection's rows are rewritten from its boundary
-- run on (the last run starting before the changed-from date), the earlier ones stand.
with

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

{%- if is_incremental() %}

{{ integration_adoption.connection_state_scope(this) }},

{%- endif %}

scoped_lifecycle as (
    -- where each connection's recomputation starts
    select
        lifecycle.*,
        {%- if is_incremental() %}
            in_scope.rewrite_from_date,
            case
                when in_scope.is_extension then {{ integration_adoption.add_days(1, 'in_scope.stored_end_date') }}
                when in_scope.boundary_date is not null then in_scope.changed_from_date
                else lifecycle.installed_date
            end as recompute_from_date
        {%- else %}
            lifecycle.installed_date as recompute_from_date
        {%- endif %}
    from lifecycle
    {%- if is_incremental() %}
        inner join in_scope
            on lifecycle.connection_id = in_scope.connection_id
    {%- endif %}
),

activity as (
    -- from the recompute start on, and the W days before it that decide its states
    select
        activity.*,
        lifecycle.active_window_days
    from {{ ref('int_connection_activity_daily') }} as activity
    inner join scoped_lifecycle as lifecycle
        on activity.connection_id = lifecycle.connection_id
    where
        activity.activity_date between lifecycle.installed_date and lifecycle.state_end_date
        and activity.activity_date
        > {{ integration_adoption.add_days('-lifecycle.active_window_days', 'lifecycle.recompute_from_date') }}
),

change_days as (
    -- a work or failure day, with its date as the latest of its kind
    select
        connection_id,
        activity_date as change_date,
        case when work_event_count > 0 then activity_date end as work_date,
        case when failure_event_count > 0 then activity_date end as failure_date
    from activity
    where work_event_count > 0 or failure_event_count > 0
    -- the first day after a day's W-day window; the recompute start, activation and uninstall days
    {%- for relation, day in [
        ('activity', integration_adoption.add_days('active_window_days', 'activity_date')),
        ('scoped_lifecycle', 'recompute_from_date'), ('scoped_lifecycle', 'activated_date'),
        ('scoped_lifecycle', 'uninstalled_date'),
    ] %}
        union all
        select
            connection_id,
            {{ day }} as change_date,
            cast(null as date) as work_date,
            cast(null as date) as failure_date
        from {{ relation }}
        where {{ day }} is not null
    {%- endfor %}
),

latest_signals as (
    -- the latest work (failure) day on or before each change day
    select
        connection_id,
        change_date,
        -- change days are distinct after the group by: the default frame ends on the current row
        max(max(work_date)) over (partition by connection_id order by change_date) as last_work_date,
        max(max(failure_date)) over (partition by connection_id order by change_date) as last_failure_date
    from change_days
    group by connection_id, change_date
),

day_states as (
    select
        latest_signals.connection_id,
        latest_signals.change_date,
        lifecycle.state_end_date,
        -- the state of the change day and of every day up to the next (first match wins, §3)
        case
            -- the uninstall day
            when latest_signals.change_date = lifecycle.uninstalled_date then 'uninstalled'
            -- a work event in the W-day window ending on the day
            when
                latest_signals.last_work_date
                > {{ integration_adoption.add_days('-lifecycle.active_window_days', 'latest_signals.change_date') }}
                then 'active'
            -- no work in the window, but a failure: a silent failure, never churn
            when
                latest_signals.last_failure_date
                > {{ integration_adoption.add_days('-lifecycle.active_window_days', 'latest_signals.change_date') }}
                then 'failing'
            -- no work event on or before the day
            when
                lifecycle.activated_date is null
                or latest_signals.change_date < lifecycle.activated_date then 'not_activated'
            -- worked before, nothing in the window
            else 'dormant'
        end as state
    from latest_signals
    inner join scoped_lifecycle as lifecycle
        on latest_signals.connection_id = lifecycle.connection_id
    where latest_signals.change_date between lifecycle.recompute_from_date and lifecycle.state_end_date
),

run_starts as (
    select *
    from (
        select
            *,
            lag(state) over (partition by connection_id order by change_date) as previous_state
        from day_states
    ) as with_previous
    where previous_state is null or previous_state <> state
),

runs as (
    select
        connection_id,
        state,
        change_date as valid_from,
        coalesce(
            {{ integration_adoption.add_days(-1, 'lead(change_date) over (partition by connection_id order by change_date)') }},
            state_end_date
        ) as valid_to
    from run_starts
),

recomputed as (
    select
        runs.connection_id,
        runs.state,
        {%- for column in sums %}
            cast(coalesce(sum(activity.{{ column }}), 0) as {{ dbt.type_bigint() }}) as {{ column }},
        {%- endfor %}
        runs.valid_from,
        runs.valid_to
    from runs
    left join activity
        on
            runs.connection_id = activity.connection_id
            and activity.activity_date between runs.valid_from and runs.valid_to
    group by runs.connection_id, runs.state, runs.valid_from, runs.valid_to
),

{%- if is_incremental() %}

{{ integration_adoption.continue_stored_runs(this, ref('int_connection_activity_daily'), sums) }},

{%- endif %}

final as (
    select * from {{ 'runs_with_stored' if is_incremental() else 'recomputed' }}
)

select * from final
