{#- The columns every source contributes to int_connection_events_clean:
    the canonical event contract. -#}
{% macro canonical_event_columns() -%}
    {{ return([
        'event_id', 'account_id', 'connection_id', 'integration_key',
        'source_system', 'event_name', 'event_kind', 'trigger_type', 'sync_direction', 'error_code',
        'records_count', 'api_calls', 'bytes_transferred', 'duration_ms',
        'custom_fields_count', 'filters_count', 'transformations_count',
        'is_work_event', 'is_failure_event', 'is_attempt',
        'event_date', 'occurred_at', 'loaded_at',
    ]) }}
{%- endmacro %}
