{{ config(
    pre_hook=["{{ integration_adoption.log_triage_scope(
        source('partner_webhooks', 'partner_webhook_deliveries'),
        event_name_map=ref('event_name_map'), integration_catalog=ref('integration_catalog'),
        event_id_column='delivery_id', loaded_at_column='received_at') }}"],
    meta={'replaced_keys': {'column': 'triage_key', 'unique_columns': ['triaged_row_id']}},
    **integration_adoption.incremental_by_key_config('triage_key')) }}
-- Every partner webhook delivery mapped to the raw contract, then sorted once
-- by the rules of metric-definitions §2 (macro triage_raw_events, as the
-- product's base model): clean (rejection_reason null) or quarantined with
-- its reason, identical redeliveries collapsed. Stored; the clean and the
-- quarantine staging views read this table. Incremental like the product
-- triage (macro triage_scope): deliveries received within the lookback
-- re-sort their delivery_ids from all their rows.
{%- set payload_keys = [
    'rows_written', 'requests', 'payload_bytes', 'took_ms', 'error', 'error_detail',
    'mode', 'sync_mode', 'custom_field_count', 'filter_count', 'transform_count',
] %}
{#- the raw contract's key each partner key becomes: a key the source YAML
    marks as free text is removed under its new name by the triage -#}
{%- set contract_key_of = {
    'rows_written': 'records_count', 'requests': 'api_calls', 'payload_bytes': 'bytes',
    'took_ms': 'duration_ms', 'error': 'error_code', 'error_detail': 'error_message',
    'mode': 'trigger', 'sync_mode': 'direction', 'custom_field_count': 'custom_fields_count',
    'filter_count': 'filters_count', 'transform_count': 'transformations_count',
} %}
{%- set free_text_keys = [] %}
{%- for key in source_free_text_keys('partner_webhooks', 'partner_webhook_deliveries', 'payload') %}
    {%- do free_text_keys.append(contract_key_of.get(key, key)) %}
{%- endfor %}
with

source as (
    {{ triage_scope(
        source('partner_webhooks', 'partner_webhook_deliveries'),
        event_id_column='delivery_id',
        loaded_at_column='received_at',
    ) }}
),

renamed as (
    select
        cast(delivery_id as {{ dbt.type_string() }}) as event_id,
        cast(workspace as {{ dbt.type_string() }}) as account_id,
        cast(installation as {{ dbt.type_string() }}) as connection_id,
        cast(app as {{ dbt.type_string() }}) as integration_key,
        cast(actor as {{ dbt.type_string() }}) as user_id,
        cast(hook as {{ dbt.type_string() }}) as event_name,
        cast(payload as {{ dbt.type_string() }}) as payload,
        case
            when {{ integration_adoption.is_json_object('payload') }} then payload
        end as payload_json,
        {{ integration_adoption.epoch_ms_to_iso_utc('sent_at_epoch_ms') }} as occurred_at,
        cast(received_at as {{ dbt.type_timestamp() }}) as loaded_at
    from source
),

payload_values as (
    {{ integration_adoption.json_extract_texts('renamed', 'payload_json', payload_keys) }}
),

-- the partner's keys and values in the vocabulary of the raw contract; the
-- values stay text (the triage casts the counts and catches non-numbers)
raw_contract as {{ integration_adoption.cte_not_materialized() }} (
    select
        event_id,
        'partner_webhooks' as source_system,
        event_name,
        occurred_at,
        loaded_at,
        account_id,
        connection_id,
        integration_key,
        user_id,
        case
            when payload is null then null
            -- not a JSON object: passed on as delivered, so it is quarantined
            -- (and not kept: it cannot be redacted by parsing)
            when payload_json is null then payload
            else {{ integration_adoption.json_build_object([
                ['records_count', 'rows_written_text'],
                ['api_calls', 'requests_text'],
                ['bytes', 'payload_bytes_text'],
                ['duration_ms', 'took_ms_text'],
                ['error_code', 'error_text'],
                ['error_message', 'error_detail_text'],
                ['trigger', "case mode_text when 'auto' then 'scheduled' when 'user' then 'manual' else mode_text end"],
                ['direction', "case sync_mode_text when 'two_way' then 'bidirectional' else sync_mode_text end"],
                ['custom_fields_count', 'custom_field_count_text'],
                ['filters_count', 'filter_count_text'],
                ['transformations_count', 'transform_count_text'],
            ]) }}
        end as properties
    from payload_values
),

triaged as (
    {{ triage_raw_events(
        'raw_contract',
        event_name_map=ref('event_name_map'),
        integration_catalog=ref('integration_catalog'),
        free_text_keys=free_text_keys,
    ) }}
)

select * from triaged
