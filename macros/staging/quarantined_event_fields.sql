{#- The columns of a quarantined event, from a relation that
    triage_raw_events returned: every source's `_rejected` staging view
    selects these, so every quarantine has the same contract. -#}
{% macro quarantined_event_fields() -%}
        ---------- ids
        content_hash as event_content_hash,
        event_id,
        account_id,
        connection_id,
        integration_key,
        user_id,

        ---------- strings
        rejection_reason,
        source_system,
        source_event_name,
        occurred_at_text,
        properties,

        ---------- numerics
        collapsed_duplicate_count,

        ---------- timestamps
        occurred_at,
        loaded_at
{%- endmacro %}
