-- The runs of days on which a connection's work meets its intended cadence
-- (usage rhythm, metric-definitions §5) by a sweep over work dates, not a day
-- grid (situational integrations have no blocks, no runs): a work date w lies
-- in block j (0 = the block ending on d) of day d exactly when
-- d ∈ [w + j·B, w + (j + 1)·B − 1], so each block's count changes only at
-- those edges; a day meets the cadence when every block holds enough work.
-- Incremental (replace_days on run_end_date): work dates change only from
-- the newest activity day minus the lookback, and the newest block start of
-- a stored run's last day (a work day lies in that block) is no later than
-- that day. A run derives the days from that start minus the lookback minus
-- one (F) from the work dates of one span (blocks × B) before F, on which
-- every count is exact from F on; the runs ending from F on are replaced,
-- and a run going on over F keeps its stored start.
{{ config(**integration_adoption.incremental_replace_days_config(
    'run_end_date', extra_days=1, first_day_column='last_block_start_date')) }}
{%- set span_read = 'true' %}
{%- if is_incremental() %}
    {#- a literal: the filters on it reach the scans (3.0 -> 1.9 s alone at 100 M events) -#}
    {%- set first_day = 'coalesce(' ~ integration_adoption.incremental_first_day_literal('last_block_start_date', 1)
        ~ ", cast('1900-01-01' as date))" %}
    {%- set span_read = 'activity.activity_date > '
        ~ integration_adoption.add_days('-(rules.blocks * rules.block_days)', first_day) %}
{%- endif %}
with

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

rules as (
    select * from {{ ref('usage_rhythm_rules') }}
),

activity as (
    select * from {{ ref('int_connection_activity_daily') }}
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
    from activity
    inner join lifecycle
        on activity.connection_id = lifecycle.connection_id
    inner join rules
        on lifecycle.intended_cadence = rules.intended_cadence
    where
        activity.work_event_count > 0
        and rules.blocks > 0
        and activity.activity_date between lifecycle.installed_date and lifecycle.state_end_date
        and {{ span_read }}
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

-- each block's count from each edge on, and whether it is met then and at the
-- edge before: that edge's count is this one's less its delta (an edge is one
-- row of its block), so one sort serves both, where a lag sorted them twice
block_counts as (
    select
        connection_id,
        block_number,
        edge_date,
        min(min_work_days_per_block) as min_work_days_per_block,
        sum(delta) as delta,
        sum(sum(delta)) over (
            partition by connection_id, block_number
            order by edge_date
            rows between unbounded preceding and current row
        ) as running_count,
        row_number() over (partition by connection_id, block_number order by edge_date) as edge_number
    from block_edges
    group by connection_id, block_number, edge_date
),

-- a block's changes sum to its status at its last edge: exact from F on
block_changes as (
    select
        connection_id,
        block_number,
        edge_date,
        running_count >= min_work_days_per_block as is_block_met,
        edge_number > 1 and running_count - delta >= min_work_days_per_block as was_block_met
    from block_counts
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
        rules.blocks,
        rules.block_days
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
        {{ integration_adoption.add_days(-1, 'next_edge_date') }} as run_end_date,
        {{ integration_adoption.add_days('-block_days', 'next_edge_date') }} as last_block_start_date
    from met_running
    -- every block met; a run always ends, since every block count falls back to 0
    where blocks_met = blocks
),
{%- if is_incremental() %}

stored_going_on as (
    -- the stored run going on over the first day keeps its start
    select
        connection_id,
        run_start_date
    from {{ this }}
    where
        run_start_date < {{ first_day }}
        and run_end_date >= {{ first_day }}
),
{%- endif %}

final as (
    select
        ---------- ids
        cadence_runs.connection_id,

        ---------- dates
        {%- if is_incremental() %}
            case
                when cadence_runs.run_start_date <= {{ first_day }}
                    then coalesce(stored_going_on.run_start_date, {{ first_day }})
                else cadence_runs.run_start_date
            end as run_start_date,
        {%- else %}
            cadence_runs.run_start_date,
        {%- endif %}
        cadence_runs.run_end_date,
        cadence_runs.last_block_start_date
    from cadence_runs
    {%- if is_incremental() %}
        left join stored_going_on
            on cadence_runs.connection_id = stored_going_on.connection_id
        where cadence_runs.run_end_date >= {{ first_day }}
    {%- endif %}
)

select * from final
