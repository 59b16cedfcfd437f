with

triaged as (
    select * from {{ ref('base_product__integration_events_triaged') }}
    where rejection_reason is null
),

canonical_events as (
    select * from {{ ref('canonical_events') }}
),

classified as (
    -- each event's kind: the canonical_events seed
    select
        triaged.*,
        canonical_events.event_kind
    from triaged
    left join canonical_events
        on triaged.event_name = canonical_events.event_name
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
