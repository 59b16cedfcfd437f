{{ config(**integration_adoption.incremental_by_key_config('connection_id')) }}
-- One row per connection per maximal run of days in one state (§3) from the
-- install date on, with its activity (int_connection_state_spells numbers and
-- labels them). Cost grows with events, not connections × days: a work date
-- w makes the connection active on [w, w + W − 1], merged into islands
-- (likewise failures); island edges and the install, activation and
-- uninstall days cut its days into segments of one state, merged into runs.
-- Incremental (delete+insert on connection_id): live connections, those with
-- activity since the changed-from date (newest stored day −
-- `incremental_lookback_days`) and new ones are recomputed from their last
-- stored run starting before that date (its first day cannot change).
with

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

{%- if is_incremental() %}
    {%- set changed_from_date = '(select ' ~ integration_adoption.add_days(
        -var('incremental_lookback_days'), 'max(valid_to)') ~ ' from ' ~ this ~ ')' %}

in_scope as (
    -- live: no uninstall day stored yet
    (select connection_id from {{ this }} except select connection_id from {{ this }} where state = 'uninstalled')
    union
    -- new or late activity
    select connection_id from {{ ref('int_connection_activity_daily') }}
    where activity_date >= {{ changed_from_date }}
    union
    -- no stored run yet
    select lifecycle.connection_id from lifecycle
    where not exists (select 1 from {{ this }} as stored where stored.connection_id = lifecycle.connection_id)
),

boundary_runs as (
    -- the last stored run of each connection starting before the changed-from date
    select
        connection_id,
        max(valid_from) as valid_from
    from {{ this }}
    where valid_from < {{ changed_from_date }}
    group by connection_id
),

{%- endif %}

scoped_lifecycle as (
    -- where each connection's recomputation starts
    select
        lifecycle.*,
        {%- if is_incremental() %}
            coalesce(boundary_runs.valid_from, lifecycle.installed_date) as recompute_from_date
        {%- else %}
            lifecycle.installed_date as recompute_from_date
        {%- endif %}
    from lifecycle
    {%- if is_incremental() %}
        inner join in_scope
            on lifecycle.connection_id = in_scope.connection_id
        left join boundary_runs
            on lifecycle.connection_id = boundary_runs.connection_id
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

signal_days as (
    {%- for kind in ['work', 'failure'] %}
        select
            connection_id,
            activity_date,
            active_window_days,
            '{{ kind }}' as signal_kind
        from activity
        where {{ kind }}_event_count > 0
        {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
),

-- the runs of days within W days after a work (failure) day
islands as (
    {{ integration_adoption.day_window_islands('signal_days', ['connection_id', 'signal_kind'], 'activity_date', 'active_window_days') }}
),

-- the days a state can change on
boundaries as (
    {%- for relation, day in [
        ('scoped_lifecycle', 'recompute_from_date'), ('scoped_lifecycle', 'activated_date'),
        ('scoped_lifecycle', 'uninstalled_date'), ('islands', 'island_start_date'),
        ('islands', integration_adoption.add_days(1, 'island_end_date')),
    ] %}
        select
            connection_id,
            {{ day }} as boundary_date
        from {{ relation }}
        where {{ day }} is not null
        {%- if not loop.last %} union{% endif %}
    {%- endfor %}
),

segments as (
    select
        boundaries.connection_id,
        boundaries.boundary_date as segment_start_date,
        coalesce(
            {{ integration_adoption.add_days(-1, 'lead(boundaries.boundary_date) over (partition by boundaries.connection_id order by boundaries.boundary_date)') }},
            lifecycle.state_end_date
        ) as segment_end_date
    from boundaries
    inner join scoped_lifecycle as lifecycle
        on boundaries.connection_id = lifecycle.connection_id
    where boundaries.boundary_date between lifecycle.recompute_from_date and lifecycle.state_end_date
),

segment_states as (
    select
        segments.*,
        -- the state of every day of the segment (first match wins, §3)
        case
            -- the uninstall day
            when segments.segment_start_date = lifecycle.uninstalled_date then 'uninstalled'
            -- a work event in the W-day window ending on the day
            when work_islands.connection_id is not null then 'active'
            -- no work in the window, but a failure: a silent failure, never churn
            when failure_islands.connection_id is not null then 'failing'
            -- no work event on or before the day
            when
                lifecycle.activated_date is null
                or segments.segment_start_date < lifecycle.activated_date then 'not_activated'
            -- worked before, nothing in the window
            else 'dormant'
        end as state
    from segments
    inner join scoped_lifecycle as lifecycle
        on segments.connection_id = lifecycle.connection_id
    left join islands as work_islands
        on
            segments.connection_id = work_islands.connection_id
            and work_islands.signal_kind = 'work'
            and segments.segment_start_date
            between work_islands.island_start_date and work_islands.island_end_date
    left join islands as failure_islands
        on
            segments.connection_id = failure_islands.connection_id
            and failure_islands.signal_kind = 'failure'
            and segments.segment_start_date
            between failure_islands.island_start_date and failure_islands.island_end_date
),

-- consecutive segments in one state merge into a run
runs as (
    {{ integration_adoption.runs_of_equal_values('segment_states', ['connection_id'], 'state', 'segment_start_date', 'segment_end_date') }}
),

recomputed as (
    select
        runs.connection_id,
        runs.state,
        coalesce(sum(activity.work_event_count), 0) as work_event_count,
        coalesce(sum(activity.failure_event_count), 0) as failure_event_count,
        coalesce(sum(activity.records_synced), 0) as records_synced,
        coalesce(sum(activity.api_calls), 0) as api_calls,
        runs.valid_from,
        runs.valid_to
    from runs
    left join activity
        on
            runs.connection_id = activity.connection_id
            and activity.activity_date between runs.valid_from and runs.valid_to
    group by runs.connection_id, runs.state, runs.valid_from, runs.valid_to
),

final as (
    select * from recomputed
    {%- if is_incremental() %}
        union all
        -- the runs before the recompute start, as stored
        select stored.*
        from {{ this }} as stored
        inner join scoped_lifecycle as lifecycle
            on stored.connection_id = lifecycle.connection_id
        where stored.valid_from < lifecycle.recompute_from_date
    {%- endif %}
)

select * from final
