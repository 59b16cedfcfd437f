with

quarantined as (
    select * from {{ ref('base_partner_webhooks__integration_events_triaged') }}
    where rejection_reason is not null
),

final as (
    select
        ---------- ids
        content_hash as event_content_hash,
        event_id,
        account_id,
        connection_id,
        integration_key,
        user_id,

        ---------- strings
        rejection_reason,
        source_system,
        source_event_name,
        occurred_at_text,
        properties,

        ---------- numerics
        collapsed_duplicate_count,

        ---------- timestamps
        occurred_at,
        loaded_at
    from quarantined
)

select * from final
