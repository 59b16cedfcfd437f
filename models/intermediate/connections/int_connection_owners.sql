-- One row per connection: the account and integration it belongs to
-- (metric-definitions §2, rule 8), those of its first-loaded clean event
-- across every source system (by loaded_at, then occurred_at, then
-- event_id), so a later load never changes the owner. Events that disagree
-- are quarantined as mismatched_connection (int_connection_events_mismatched)
-- and left out of int_connection_events_unioned: never split, never a
-- stopped build.
-- Cost: one window over the clean events' keys, once per build.
with

clean_events as (
    select * from {{ ref('int_connection_events_clean') }}
),

ranked as (
    select
        clean_events.connection_id,
        clean_events.account_id,
        clean_events.integration_key,
        clean_events.event_id,
        clean_events.loaded_at,
        row_number() over (
            partition by clean_events.connection_id
            order by clean_events.loaded_at, clean_events.occurred_at, clean_events.event_id
        ) as load_rank
    from clean_events
),

final as (
    select
        ---------- ids
        connection_id,
        account_id,
        integration_key,
        event_id as first_loaded_event_id,

        ---------- timestamps
        loaded_at as first_loaded_at
    from ranked
    where load_rank = 1
)

select * from final
