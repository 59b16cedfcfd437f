{{ config(**integration_adoption.incremental_by_key_config('connection_id')) }}
-- One row per connection per maximal run of days in one state
-- (metric-definitions §3), from the install date to the as-of date or the
-- uninstall day. Built by interval arithmetic over work and failure dates, so
-- its cost grows with events, not with connections × days:
--   a work date w makes the connection active on [w, w + W − 1]; merged
--   overlapping windows are "islands" (likewise for failures);
--   island edges, the install, activation and uninstall days cut each
--   connection's days into segments with one state each;
--   consecutive segments in the same state are merged into spells.
-- Incremental (delete+insert on connection_id): a run recomputes only the
-- connections in scope — live ones (last spell not uninstalled: their states
-- move with the as-of date) and those with activity since the changed-from
-- date (the newest stored day minus `incremental_lookback_days`) — and each
-- of them only from its boundary spell (the last stored spell that starts
-- before the changed-from date: its first day cannot change). Its earlier
-- spells are re-emitted from the stored table; numbering and the new /
-- resurrected labels carry on from them. A full refresh is the same SQL
-- with every connection recomputed from its install date.
with

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

{%- if is_incremental() %}

stored as (
    select * from {{ this }}
),

changed_from as (
    select
        {{ integration_adoption.add_days(-var('incremental_lookback_days'), 'max(valid_to)') }}
            as changed_from_date
    from stored
),

in_scope as (
    -- live: the last stored spell is not the uninstall day
    select connection_id
    from stored
    where is_current and state <> 'uninstalled'
    union
    -- new or late activity
    select activity.connection_id
    from {{ ref('int_connection_activity_daily') }} as activity
    cross join changed_from
    where activity.activity_date >= changed_from.changed_from_date
    union
    -- connections with no stored spell yet
    select lifecycle.connection_id
    from lifecycle
    where not exists (
        select 1 from stored
        where stored.connection_id = lifecycle.connection_id
    )
),

boundary_spells as (
    select
        stored.connection_id,
        stored.spell_number,
        stored.valid_from,
        row_number() over (
            partition by stored.connection_id order by stored.valid_from desc
        ) as recency
    from stored
    inner join in_scope
        on stored.connection_id = in_scope.connection_id
    cross join changed_from
    where stored.valid_from < changed_from.changed_from_date
),

recompute_starts as (
    select
        in_scope.connection_id,
        coalesce(boundary_spells.valid_from, lifecycle.installed_date) as recompute_from_date,
        coalesce(boundary_spells.spell_number - 1, 0) as kept_spell_count
    from in_scope
    inner join lifecycle
        on in_scope.connection_id = lifecycle.connection_id
    left join boundary_spells
        on
            in_scope.connection_id = boundary_spells.connection_id
            and boundary_spells.recency = 1
),

kept_spells as (
    select stored.*
    from stored
    inner join recompute_starts
        on stored.connection_id = recompute_starts.connection_id
    where stored.valid_from < recompute_starts.recompute_from_date
),

kept_active_counts as (
    select
        connection_id,
        sum(case when state = 'active' then 1 else 0 end) as kept_active_spell_count
    from kept_spells
    group by connection_id
),

{%- endif %}

scoped_lifecycle as (
    -- where each connection's recomputation starts, and what it carries on from
    select
        lifecycle.*,
        {%- if is_incremental() %}
            recompute_starts.recompute_from_date,
            recompute_starts.kept_spell_count,
            coalesce(kept_active_counts.kept_active_spell_count, 0) as kept_active_spell_count
        {%- else %}
            lifecycle.installed_date as recompute_from_date,
            0 as kept_spell_count,
            0 as kept_active_spell_count
        {%- endif %}
    from lifecycle
    {%- if is_incremental() %}
        inner join recompute_starts
            on lifecycle.connection_id = recompute_starts.connection_id
        left join kept_active_counts
            on lifecycle.connection_id = kept_active_counts.connection_id
    {%- endif %}
),

activity as (
    -- the days that decide the states from the recompute start on: a work or
    -- failure day counts for the W days from it
    select activity.*
    from {{ ref('int_connection_activity_daily') }} as activity
    inner join scoped_lifecycle as lifecycle
        on activity.connection_id = lifecycle.connection_id
    where
        activity.activity_date between lifecycle.installed_date and lifecycle.state_end_date
        and activity.activity_date
        > {{ integration_adoption.add_days('-lifecycle.active_window_days', 'lifecycle.recompute_from_date') }}
),

signal_dates as (
    select
        activity.connection_id,
        activity.activity_date,
        'work' as signal_kind
    from activity
    where activity.work_event_count > 0
    union all
    select
        activity.connection_id,
        activity.activity_date,
        'failure' as signal_kind
    from activity
    where activity.failure_event_count > 0
),

signal_gaps as (
    select
        signal_dates.*,
        lifecycle.active_window_days,
        lag(signal_dates.activity_date) over (
            partition by signal_dates.connection_id, signal_dates.signal_kind
            order by signal_dates.activity_date
        ) as previous_date
    from signal_dates
    inner join scoped_lifecycle as lifecycle
        on signal_dates.connection_id = lifecycle.connection_id
),

signal_island_numbers as (
    select
        *,
        sum(
            case
                -- a new island when the previous window [prev, prev + W − 1] does not reach this day
                when previous_date is null then 1
                when {{ dbt.datediff('previous_date', 'activity_date', 'day') }} > active_window_days
                    then 1
                else 0
            end
        ) over (
            partition by connection_id, signal_kind
            order by activity_date
            rows between unbounded preceding and current row
        ) as island_number
    from signal_gaps
),

islands as (
    select
        connection_id,
        signal_kind,
        island_number,
        min(activity_date) as island_start_date,
        {{ integration_adoption.add_days('min(active_window_days) - 1', 'max(activity_date)') }}
            as island_end_date
    from signal_island_numbers
    group by connection_id, signal_kind, island_number
),

boundaries as (
    select
        connection_id,
        recompute_from_date as boundary_date
    from scoped_lifecycle
    union
    select
        connection_id,
        activated_date as boundary_date
    from scoped_lifecycle
    where activated_date is not null
    union
    select
        connection_id,
        uninstalled_date as boundary_date
    from scoped_lifecycle
    where uninstalled_date is not null
    union
    select
        connection_id,
        island_start_date as boundary_date
    from islands
    union
    select
        connection_id,
        {{ integration_adoption.add_days(1, 'island_end_date') }} as boundary_date
    from islands
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
        segments.connection_id,
        segments.segment_start_date,
        segments.segment_end_date,
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

state_changes as (
    select
        *,
        case
            when lag(state) over (
                partition by connection_id order by segment_start_date
            ) = state then 0
            else 1
        end as is_state_change
    from segment_states
),

spell_numbers as (
    select
        *,
        sum(is_state_change) over (
            partition by connection_id
            order by segment_start_date
            rows between unbounded preceding and current row
        ) as spell_number
    from state_changes
),

spells as (
    select
        connection_id,
        spell_number,
        min(state) as state,
        min(segment_start_date) as valid_from,
        max(segment_end_date) as valid_to
    from spell_numbers
    group by connection_id, spell_number
),

labelled as (
    -- numbered and counted on from the spells kept before the recompute start
    select
        spells.connection_id,
        spells.state,
        spells.valid_from,
        spells.valid_to,
        lifecycle.kept_spell_count + spells.spell_number as spell_number,
        lifecycle.kept_active_spell_count
        + sum(case when spells.state = 'active' then 1 else 0 end) over (
            partition by spells.connection_id
            order by spells.spell_number
            rows between unbounded preceding and current row
        ) as active_spells_so_far
    from spells
    inner join scoped_lifecycle as lifecycle
        on spells.connection_id = lifecycle.connection_id
),

spell_activity as (
    select
        labelled.connection_id,
        labelled.spell_number,
        sum(activity.work_event_count) as work_event_count,
        sum(activity.failure_event_count) as failure_event_count,
        sum(activity.records_synced) as records_synced,
        sum(activity.api_calls) as api_calls
    from labelled
    inner join activity
        on
            labelled.connection_id = activity.connection_id
            and activity.activity_date between labelled.valid_from and labelled.valid_to
    group by labelled.connection_id, labelled.spell_number
),

recomputed as (
    select
        ---------- ids
        {{ dbt.hash(dbt.concat(['labelled.connection_id', "'|'", 'cast(labelled.valid_from as ' ~ dbt.type_string() ~ ')'])) }}
            as spell_id,
        labelled.connection_id,
        lifecycle.account_id,
        lifecycle.integration_key,

        ---------- strings
        labelled.state,
        -- the change that opened the spell (§3)
        case
            when labelled.state = 'uninstalled' then 'uninstalled'
            when labelled.state = 'active' and labelled.active_spells_so_far = 1 then 'new'
            when labelled.state = 'active' then 'resurrected'
            when labelled.spell_number = 1 then 'installed'
            else 'newly_' || labelled.state
        end as transition,

        ---------- numerics
        labelled.spell_number,
        {{ dbt.datediff('labelled.valid_from', 'labelled.valid_to', 'day') }} + 1 as spell_days,
        coalesce(spell_activity.work_event_count, 0) as work_event_count,
        coalesce(spell_activity.failure_event_count, 0) as failure_event_count,
        coalesce(spell_activity.records_synced, 0) as records_synced,
        coalesce(spell_activity.api_calls, 0) as api_calls,

        ---------- booleans
        labelled.valid_to = lifecycle.state_end_date as is_current,

        ---------- dates
        labelled.valid_from,
        labelled.valid_to
    from labelled
    inner join scoped_lifecycle as lifecycle
        on labelled.connection_id = lifecycle.connection_id
    left join spell_activity
        on
            labelled.connection_id = spell_activity.connection_id
            and labelled.spell_number = spell_activity.spell_number
),

{%- if is_incremental() %}

kept_final as (
    -- the spells before the recompute start, as stored (owner from the lifecycle)
    select
        kept_spells.spell_id,
        kept_spells.connection_id,
        lifecycle.account_id,
        lifecycle.integration_key,
        kept_spells.state,
        kept_spells.transition,
        kept_spells.spell_number,
        kept_spells.spell_days,
        kept_spells.work_event_count,
        kept_spells.failure_event_count,
        kept_spells.records_synced,
        kept_spells.api_calls,
        kept_spells.valid_to = lifecycle.state_end_date as is_current,
        kept_spells.valid_from,
        kept_spells.valid_to
    from kept_spells
    inner join scoped_lifecycle as lifecycle
        on kept_spells.connection_id = lifecycle.connection_id
),

{%- endif %}

final as (
    select * from recomputed
    {%- if is_incremental() %}
        union all
        select * from kept_final
    {%- endif %}
)

select * from final
