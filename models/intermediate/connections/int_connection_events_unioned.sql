{{ config(materialized='view') }}
-- Every source system's clean events (int_connection_events_clean) whose
-- account and integration agree with their connection's owner
-- (int_connection_owners; the others are mismatched_connection, §2 rule 8),
-- each flagged when it follows the connection's first uninstall (§3,
-- int_connection_uninstalls).
-- A view: the staging tables already hold the events once.
with

clean_events as (
    select * from {{ ref('int_connection_events_clean') }}
),

owners as (
    select * from {{ ref('int_connection_owners') }}
),

owned as (
    select clean_events.*
    from clean_events
    inner join owners
        on
            clean_events.connection_id = owners.connection_id
            and clean_events.account_id = owners.account_id
            and clean_events.integration_key = owners.integration_key
),

-- each connection's first uninstall, stored (int_connection_uninstalls): the
-- owned events are then read once, and a filtered read of the view stays filtered
uninstalls as (
    select * from {{ ref('int_connection_uninstalls') }}
),

final as (
    select
        ---------- ids
        owned.event_id,
        owned.account_id,
        owned.connection_id,
        owned.integration_key,

        ---------- strings
        owned.source_system,
        owned.event_name,
        owned.event_kind,
        owned.trigger_type,
        owned.sync_direction,
        owned.error_code,

        ---------- numerics
        owned.records_count,
        owned.api_calls,
        owned.bytes_transferred,
        owned.duration_ms,
        owned.custom_fields_count,
        owned.filters_count,
        owned.transformations_count,

        ---------- booleans
        owned.is_work_event,
        owned.is_failure_event,
        owned.is_attempt,
        -- an uninstall is final: later events are kept but flagged (§3)
        coalesce(owned.occurred_at > uninstalls.uninstalled_at, false) as is_after_uninstall,

        ---------- dates and timestamps
        owned.event_date,
        owned.occurred_at,
        owned.loaded_at
    from owned
    left join uninstalls
        on owned.connection_id = uninstalls.connection_id
)

select * from final
