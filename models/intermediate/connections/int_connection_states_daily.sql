{{ config(materialized='view') }}
-- The spells expanded to one row per connection per day, for ad hoc
-- questions ("which state was this connection in on 2025-03-14?"). A view:
-- no mart reads it, and it is never stored (connections × days is large).
with

spells as (
    select * from {{ ref('int_connection_state_spells') }}
),

expanded as (
    {{ integration_adoption.date_spine('spells', 'valid_from', 'valid_to') }}
),

final as (
    select
        connection_id,
        account_id,
        integration_key,
        state,
        case when date_day = valid_from then transition end as transition,
        date_day as state_date
    from expanded
)

select * from final
