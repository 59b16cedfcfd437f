{{ config(materialized='view') }}
-- Every source system's clean events in one canonical contract (a new source
-- system is one more entry in the macro canonical_event_sources), those whose
-- account and integration agree with their connection's owner
-- (int_connection_owners; the others are mismatched_connection, §2 rule 8).
-- A view: the staging tables already hold the events once.
-- the clean events of every source (macro canonical_event_sources):
-- depends_on: {{ ref('stg_product__integration_events') }}
{%- if integration_adoption.partner_webhooks_enabled() %}
-- depends_on: {{ ref('stg_partner_webhooks__integration_events') }}
{%- endif %}
with

owners as (
    select * from {{ ref('int_connection_owners') }}
),

staged as (
    {{ canonical_event_union(canonical_event_columns()) }}
),

unioned as (
    select
        {%- for column in canonical_event_columns() %}
            staged.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from staged
    inner join owners
        on
            staged.connection_id = owners.connection_id
            and staged.account_id = owners.account_id
            and staged.integration_key = owners.integration_key
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
