with

quarantined as (
    select * from {{ ref('base_partner_webhooks__integration_events_triaged') }}
    where rejection_reason is not null
),

final as (
    select
        {{ quarantined_event_fields() }}
    from quarantined
)

select * from final
