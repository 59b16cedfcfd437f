{{ config(materialized='view') }}
-- Every source system's clean events in one canonical contract. A new source
-- system is added here, and only here: one more entry in event_sources.
-- A view: the staging tables already hold the events once.
{%- set event_sources = [
    {'relation': ref('stg_product__integration_events'), 'clean_rows': 'true'},
] %}
{#- optional sources beyond the raw contract (var partner_webhooks_enabled) -#}
{%- if integration_adoption.partner_webhooks_enabled() %}
    {%- do event_sources.append(
        {'relation': ref('stg_partner_webhooks__integration_events'), 'clean_rows': 'rejection_reason is null'}
    ) %}
{%- endif %}
with

unioned as (
    {%- for event_source in event_sources %}
        select {{ canonical_event_columns() | join(', ') }}
        from {{ event_source.relation }}
        where {{ event_source.clean_rows }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
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
