-- The runs of days on which an active connection is used at its
-- integration's intended cadence (usage rhythm, metric-definitions §5): the
-- cadence runs of its work dates (int_connection_cadence_runs) clipped to its
-- active spells; situational integrations always meet it, so their runs are
-- the active spells. Rebuilt each run: one join of spells and runs.
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

cadence_runs as (
    select * from {{ ref('int_connection_cadence_runs') }}
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
