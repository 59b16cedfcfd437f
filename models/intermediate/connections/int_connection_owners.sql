-- One row per connection: the account and integration it belongs to
-- (metric-definitions §2, rule 8), those of its first-loaded clean event
-- across every source system (by loaded_at, then occurred_at, then
-- event_id), so a later load never changes the owner. Events that disagree
-- are quarantined as mismatched_connection (int_connection_events_mismatched)
-- and left out of int_connection_events_unioned: never split, never a
-- stopped build.
-- Cost: one pass over the clean events' keys, once per build (macro first_row_per_key).
with

clean_events as (
    select * from {{ ref('int_connection_events_clean') }}
),

-- the first-loaded clean event of each connection
firsts as (
    {{ integration_adoption.first_row_per_key(
        'clean_events', 'connection_id', ['account_id', 'integration_key', 'event_id', 'loaded_at'],
        ['loaded_at', 'occurred_at', 'event_id']) }}
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
    from firsts
)

select * from final
