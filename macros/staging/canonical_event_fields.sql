{#- The typed, derived columns of a clean event (metric-definitions §2), from
    a relation that triage_raw_events returned: the event's kind, the
    properties it carries, and its date. Every source's staging model selects
    these, so every source hands the union the same contract. -#}
{% macro canonical_event_fields() -%}
        case
            when event_name in ('sync_succeeded', 'action_performed') then 'work'
            when event_name in ('sync_failed', 'auth_failed') then 'failure'
            when event_name = 'installed' then 'install'
            when event_name = 'setup_completed' then 'setup'
            when event_name = 'config_changed' then 'sophistication'
            when event_name = 'uninstalled' then 'end_of_life'
        end as event_kind,
        trigger_text as trigger_type,
        direction_text as sync_direction,
        error_code_text as error_code,

        ---------- numerics
        cast(records_count_value as {{ dbt.type_bigint() }}) as records_count,
        cast(api_calls_value as {{ dbt.type_bigint() }}) as api_calls,
        cast(bytes_value as {{ dbt.type_bigint() }}) as bytes_transferred,
        cast(duration_ms_value as {{ dbt.type_bigint() }}) as duration_ms,
        cast(custom_fields_count_value as {{ dbt.type_bigint() }}) as custom_fields_count,
        cast(filters_count_value as {{ dbt.type_bigint() }}) as filters_count,
        cast(transformations_count_value as {{ dbt.type_bigint() }}) as transformations_count,
        collapsed_duplicate_count,

        ---------- booleans
        event_name in ('sync_succeeded', 'action_performed') as is_work_event,
        event_name in ('sync_failed', 'auth_failed') as is_failure_event,
        event_name in ('sync_succeeded', 'action_performed', 'sync_failed', 'auth_failed')
            as is_attempt,
        has_error_message,

        ---------- dates
        cast(occurred_at as date) as event_date,

        ---------- timestamps
        occurred_at,
        loaded_at
{%- endmacro %}
