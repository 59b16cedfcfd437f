{#- The typed, derived columns of a clean event (metric-definitions §2), from
    a relation that triage_raw_events returned with the event_kind of the
    canonical_events seed (the calling model refs and joins it, so the
    lineage shows it): the event's kind and what follows from it, the
    properties it carries, and its date. Every source's staging model
    selects these, so every source hands the union the same contract. -#}
{% macro canonical_event_fields() -%}
        event_kind,
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
        event_kind = 'work' as is_work_event,
        event_kind = 'failure' as is_failure_event,
        event_kind in ('work', 'failure') as is_attempt,
        has_error_message,

        ---------- dates
        {{ integration_adoption.event_date_of('occurred_at') }} as event_date,

        ---------- timestamps
        occurred_at,
        loaded_at
{%- endmacro %}

{#- An event's date (metric-definitions §2): the UTC date of its occurred_at.
    The one definition, for the staging models and the data-quality checks. -#}
{% macro event_date_of(occurred_at) -%}
    cast({{ occurred_at }} as date)
{%- endmacro %}
