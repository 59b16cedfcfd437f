with

triaged as (
    select * from {{ ref('base_partner_webhooks__integration_events_triaged') }}
    where rejection_reason is null
),

-- each event's kind, from the canonical_events seed
classified as (
    {{ canonical_event_kinds('triaged', ref('canonical_events')) }}
),

final as (
    select
        ---------- ids
        event_id,
        account_id,
        connection_id,
        integration_key,
        user_id,

        ---------- strings
        source_system,
        source_event_name,
        event_name,
        {{ canonical_event_fields() }}
    from classified
)

select * from final
