-- A broken connection is never taken for an abandoned one (metric-definitions
-- §3): no dormant or not_activated spell contains a day whose W-day window
-- holds a failure event, and no connection-day counts as both.
with

spells as (
    select * from {{ ref('int_connection_state_spells') }}
    where state in ('dormant', 'not_activated')
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

failures as (
    select * from {{ ref('int_connection_activity_daily') }}
    where failure_event_count > 0
)

select
    spells.connection_id,
    spells.state,
    spells.valid_from,
    spells.valid_to,
    failures.activity_date as failure_date
from spells
inner join lifecycle
    on spells.connection_id = lifecycle.connection_id
inner join failures
    on
        spells.connection_id = failures.connection_id
        -- the failure's window [f, f + W − 1] reaches into the spell
        and spells.valid_to >= failures.activity_date
        and {{ integration_adoption.add_days('lifecycle.active_window_days - 1', 'failures.activity_date') }}
        >= spells.valid_from
