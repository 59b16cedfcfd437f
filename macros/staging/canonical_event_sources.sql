{#- Every source system's staging model of clean canonical events: the one
    place a new source system is added. Read through canonical_event_union
    by int_connection_owners, int_connection_events_unioned and
    int_connection_events_mismatched, which must see the same sources (a
    connection's owner is decided across all of them, §2 rule 8); each of
    them names these refs in a `-- depends_on:` line, so its file shows its
    lineage. -#}
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
