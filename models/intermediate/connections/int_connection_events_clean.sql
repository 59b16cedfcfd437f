{{ config(materialized='view') }}
-- The clean events of every source system (macro canonical_event_sources) in
-- the canonical contract (macro canonical_event_columns), before the owner
-- rule (§2 rule 8): the one place the sources are unioned. Read by
-- int_connection_owners, int_connection_events_mismatched and
-- int_connection_events_unioned, which must see the same events.
-- A view: the staging tables already hold the events once.
-- depends_on: {{ ref('stg_product__integration_events') }}
{%- if integration_adoption.partner_webhooks_enabled() %}
-- depends_on: {{ ref('stg_partner_webhooks__integration_events') }}
{%- endif %}
with

unioned as (
    {{ integration_adoption.canonical_event_union(
        integration_adoption.canonical_event_columns() + ['collapsed_duplicate_count']
    ) }}
)

select * from unioned
