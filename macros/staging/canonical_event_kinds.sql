{#- Every row of `relation` (a triage_raw_events result) with the event_kind
    its event_name has in `canonical_events` (the calling model passes
    ref('canonical_events'), so the lineage shows the seed); null when the
    row has no canonical name (quarantined as unknown_event_name).
    canonical_event_fields reads the kind. -#}
{% macro canonical_event_kinds(relation, canonical_events) -%}
    select
        {{ relation }}.*,
        canonical_events.event_kind
    from {{ relation }}
    left join {{ canonical_events }} as canonical_events
        on {{ relation }}.event_name = canonical_events.event_name
{%- endmacro %}
