-- One row per connection: the account and integration it belongs to
-- (metric-definitions §2, rule 8), those of its first-loaded clean event
-- across every source system (by loaded_at, then occurred_at, then
-- event_id), so a later load never changes the owner. Events that disagree
-- are quarantined as mismatched_connection (int_connection_events_mismatched)
-- and left out of int_connection_events_unioned: never split, never a
-- stopped build.
-- Cost: one window over the clean events' keys, once per build.
-- the clean events of every source (macro canonical_event_sources):
-- depends_on: {{ ref('stg_product__integration_events') }}
{%- if integration_adoption.partner_webhooks_enabled() %}
-- depends_on: {{ ref('stg_partner_webhooks__integration_events') }}
{%- endif %}
with

clean_events as (
    {{ canonical_event_union(['connection_id', 'account_id', 'integration_key', 'event_id', 'occurred_at', 'loaded_at']) }}
),

ranked as (
    select
        clean_events.*,
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
