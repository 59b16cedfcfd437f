{{ config(materialized='view') }}
-- The quarantine of rule 8 (metric-definitions §2): clean events whose
-- account_id or integration_key differs from their connection's owner
-- (int_connection_owners). Decided after the duplicate rule, across every
-- source system; these events are left out of int_connection_events_unioned.
-- A view: normally empty, and read only by the data-quality mart.
with

owners as (
    select * from {{ ref('int_connection_owners') }}
),

clean_events as (
    select * from {{ ref('int_connection_events_clean') }}
),

final as (
    select
        ---------- ids
        clean_events.event_id,
        clean_events.account_id,
        clean_events.connection_id,
        clean_events.integration_key,
        owners.account_id as owner_account_id,
        owners.integration_key as owner_integration_key,
        owners.first_loaded_event_id as owner_event_id,

        ---------- strings
        cast('mismatched_connection' as {{ dbt.type_string() }}) as rejection_reason,
        cast(clean_events.raw_source as {{ dbt.type_string() }}) as raw_source,
        clean_events.source_system,
        clean_events.event_name,

        ---------- numerics
        clean_events.collapsed_duplicate_count,

        ---------- timestamps
        clean_events.occurred_at,
        clean_events.loaded_at
    from clean_events
    inner join owners
        on clean_events.connection_id = owners.connection_id
    where
        clean_events.account_id != owners.account_id
        or clean_events.integration_key != owners.integration_key
)

select * from final
