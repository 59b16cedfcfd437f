{#- The clean rows of every source system (canonical_event_sources) as one
    union of the given columns, each row with its `raw_source`. -#}
{% macro canonical_event_union(columns) -%}
    {%- for event_source in integration_adoption.canonical_event_sources() %}
        select
            '{{ event_source.raw_source }}' as raw_source,
            {{ columns | join(',\n            ') }}
        from {{ event_source.relation }}
        {%- if not loop.last %}
        union all
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
