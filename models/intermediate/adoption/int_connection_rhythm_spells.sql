-- The runs of days on which an active connection is used at its
-- integration's intended cadence (usage rhythm, metric-definitions §5), as
-- intervals, by a sweep over work dates rather than a day grid:
--   for block j (0 = the block ending on d), a work date w lies in block j
--   of day d exactly when d ∈ [w + j·B, w + (j + 1)·B − 1]; so each block's
--   work-day count changes only at those edges;
--   a day meets the rhythm when every block holds enough work days;
--   situational integrations always meet it, so their runs are the active
--   spells. The runs are clipped to the active spells.
with

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

rules as (
    select * from {{ ref('usage_rhythm_rules') }}
),

active_spells as (
    select * from {{ ref('int_connection_state_spells') }}
    where state = 'active'
),

block_numbers as (
    {{ integration_adoption.integer_series('(select max(blocks) from ' ~ ref('usage_rhythm_rules') ~ ')') }}
),

work_dates as (
    select
        activity.connection_id,
        activity.activity_date as work_date,
        rules.block_days,
        rules.blocks,
        rules.min_work_days_per_block
    from {{ ref('int_connection_activity_daily') }} as activity
    inner join lifecycle
        on activity.connection_id = lifecycle.connection_id
    inner join rules
        on lifecycle.intended_cadence = rules.intended_cadence
    where
        activity.work_event_count > 0
        and rules.blocks > 0
        and activity.activity_date between lifecycle.installed_date and lifecycle.state_end_date
),

block_edges as (
    select
        work_dates.connection_id,
        block_numbers.generated_number - 1 as block_number,
        work_dates.min_work_days_per_block,
        {{ integration_adoption.add_days(
            '(block_numbers.generated_number - 1) * work_dates.block_days', 'work_dates.work_date') }}
            as edge_date,
        1 as delta
    from work_dates
    inner join block_numbers
        on work_dates.blocks >= block_numbers.generated_number
    union all
    select
        work_dates.connection_id,
        block_numbers.generated_number - 1 as block_number,
        work_dates.min_work_days_per_block,
        {{ integration_adoption.add_days(
            'block_numbers.generated_number * work_dates.block_days', 'work_dates.work_date') }}
            as edge_date,
        -1 as delta
    from work_dates
    inner join block_numbers
        on work_dates.blocks >= block_numbers.generated_number
),

block_counts as (
    select
        connection_id,
        block_number,
        edge_date,
        min(min_work_days_per_block) as min_work_days_per_block,
        sum(delta) as delta
    from block_edges
    group by connection_id, block_number, edge_date
),

block_running as (
    select
        connection_id,
        block_number,
        edge_date,
        sum(delta) over (
            partition by connection_id, block_number
            order by edge_date
            rows between unbounded preceding and current row
        ) >= min_work_days_per_block as is_block_met
    from block_counts
),

block_changes as (
    select
        *,
        coalesce(
            lag(is_block_met) over (
                partition by connection_id, block_number order by edge_date
            ),
            false
        ) as was_block_met
    from block_running
),

-- +1 where a block starts to be met, −1 where it stops
met_edges as (
    select
        connection_id,
        edge_date,
        sum(case when is_block_met then 1 else -1 end) as delta
    from block_changes
    where is_block_met != was_block_met
    group by connection_id, edge_date
),

met_running as (
    select
        met_edges.connection_id,
        met_edges.edge_date,
        lead(met_edges.edge_date) over (
            partition by met_edges.connection_id order by met_edges.edge_date
        ) as next_edge_date,
        sum(met_edges.delta) over (
            partition by met_edges.connection_id
            order by met_edges.edge_date
            rows between unbounded preceding and current row
        ) as blocks_met,
        rules.blocks
    from met_edges
    inner join lifecycle
        on met_edges.connection_id = lifecycle.connection_id
    inner join rules
        on lifecycle.intended_cadence = rules.intended_cadence
),

cadence_runs as (
    select
        connection_id,
        edge_date as run_start_date,
        {{ integration_adoption.add_days(-1, 'next_edge_date') }} as run_end_date
    from met_running
    -- every block met; a run always ends, since every block count falls back to 0
    where blocks_met = blocks
),

clipped as (
    select
        active_spells.connection_id,
        active_spells.integration_key,
        case
            when cadence_runs.run_start_date > active_spells.valid_from
                then cadence_runs.run_start_date
            else active_spells.valid_from
        end as valid_from,
        case
            when cadence_runs.run_end_date < active_spells.valid_to
                then cadence_runs.run_end_date
            else active_spells.valid_to
        end as valid_to
    from active_spells
    inner join cadence_runs
        on
            active_spells.connection_id = cadence_runs.connection_id
            and active_spells.valid_to >= cadence_runs.run_start_date
            and active_spells.valid_from <= cadence_runs.run_end_date
),

situational as (
    select
        active_spells.connection_id,
        active_spells.integration_key,
        active_spells.valid_from,
        active_spells.valid_to
    from active_spells
    inner join lifecycle
        on active_spells.connection_id = lifecycle.connection_id
    inner join rules
        on lifecycle.intended_cadence = rules.intended_cadence
    where rules.blocks = 0
),

final as (
    select * from clipped
    union all
    select * from situational
)

select * from final
