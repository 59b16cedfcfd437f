-- One row per connection: the account and integration it belongs to
-- (metric-definitions §2, rule 8), those of its first-loaded clean event
-- across every source system (by loaded_at, then occurred_at, then
-- event_id), so a later load never changes the owner. Events that disagree
-- are quarantined as mismatched_connection (int_connection_events_mismatched)
-- and left out of int_connection_events_unioned: never split, never a
-- stopped build. With the owner's first uninstall (§3), so that the union, a
-- view, reads no event beyond the ones a filter on it keeps.
-- Cost: one pass over the clean events' keys, once per build (macro
-- first_row_per_key), and one over their uninstalls.
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

-- the first uninstall among the events that agree with the owner
uninstalls as (
    select
        clean_events.connection_id,
        min(clean_events.occurred_at) as first_uninstalled_at
    from clean_events
    inner join firsts
        on
            clean_events.connection_id = firsts.connection_id
            and clean_events.account_id = firsts.account_id
            and clean_events.integration_key = firsts.integration_key
    where clean_events.event_kind = 'end_of_life'
    group by clean_events.connection_id
),

final as (
    select
        ---------- ids
        firsts.connection_id,
        firsts.account_id,
        firsts.integration_key,
        firsts.event_id as first_loaded_event_id,

        ---------- timestamps
        firsts.loaded_at as first_loaded_at,
        uninstalls.first_uninstalled_at
    from firsts
    left join uninstalls
        on firsts.connection_id = uninstalls.connection_id
)

select * from final
