{{ config(materialized='view') }}
-- Every source system's clean events in one canonical contract. A new source
-- system is added here, and only here: one more CTE and one more union.
-- A view: the staging tables already hold the events once.
with

product_events as (
    select
        event_id,
        account_id,
        connection_id,
        integration_key,
        source_system,
        event_name,
        event_kind,
        trigger_type,
        sync_direction,
        error_code,
        records_count,
        api_calls,
        bytes_transferred,
        duration_ms,
        custom_fields_count,
        filters_count,
        transformations_count,
        is_work_event,
        is_failure_event,
        is_attempt,
        event_date,
        occurred_at,
        loaded_at
    from {{ ref('stg_product__integration_events') }}
),

partner_webhook_events as (
    select
        event_id,
        account_id,
        connection_id,
        integration_key,
        source_system,
        event_name,
        event_kind,
        trigger_type,
        sync_direction,
        error_code,
        records_count,
        api_calls,
        bytes_transferred,
        duration_ms,
        custom_fields_count,
        filters_count,
        transformations_count,
        is_work_event,
        is_failure_event,
        is_attempt,
        event_date,
        occurred_at,
        loaded_at
    from {{ ref('stg_partner_webhooks__integration_events') }}
    where rejection_reason is null
),

unioned as (
    select * from product_events
    union all
    select * from partner_webhook_events
),

uninstalls as (
    select
        connection_id,
        min(occurred_at) as uninstalled_at
    from unioned
    where event_name = 'uninstalled'
    group by connection_id
),

final as (
    select
        unioned.*,
        -- an uninstall is final: later events are kept but flagged (§3)
        coalesce(unioned.occurred_at > uninstalls.uninstalled_at, false) as is_after_uninstall
    from unioned
    left join uninstalls
        on unioned.connection_id = uninstalls.connection_id
)

select * from final
