{#- Every source system's staging model of clean canonical events: the one
    place a new source system is added. Read through canonical_event_union
    by the view int_connection_events_clean, which the owner rule (§2 rule
    8), its quarantine and int_connection_events_unioned all read, so they
    see the same sources; the view names these refs in a `-- depends_on:`
    line, so its file shows its lineage. -#}
{% macro canonical_event_sources() -%}
    {%- set event_sources = [
        {'raw_source': 'product', 'relation': ref('stg_product__integration_events')},
    ] -%}
    {#- optional sources beyond the raw contract (var partner_webhooks_enabled) -#}
    {%- if integration_adoption.partner_webhooks_enabled() -%}
        {%- do event_sources.append(
            {'raw_source': 'partner_webhooks', 'relation': ref('stg_partner_webhooks__integration_events')}
        ) -%}
    {%- endif -%}
    {{ return(event_sources) }}
{%- endmacro %}
