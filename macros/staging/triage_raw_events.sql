{#-
    Classifies every row of a raw event relation that follows the raw contract
    (event_id, source_system, event_name, occurred_at, loaded_at, account_id,
    connection_id, integration_key, user_id, properties) exactly as
    metric-definitions §2 says, and returns one row per distinct content:

    - identical copies (same content: every column but loaded_at) collapse
      to the earliest-loaded one; `collapsed_duplicate_count` says how many
      copies were folded into it;
    - `rejection_reason` is null for a clean row, else the first defect in
      the §2 order; among otherwise clean copies of one event_id with
      different content, the earliest loaded (ties: smallest content hash)
      is kept and the rest are `conflicting_duplicate`.

    So raw rows = clean + quarantined + Σ collapsed_duplicate_count.
    The eighth reason, mismatched_connection, needs every source's clean
    events: int_connection_owners decides it.

    Parsing (§2): the text fields are trimmed of Unicode White_Space
    (trim_white_space) and empty means missing; occurred_at is read by
    parse_iso_timestamp_utc; properties must be a JSON object
    (is_json_object; missing or JSON null mean {}), read by
    json_extract_texts (first occurrence of a repeated key), and each count
    must be a whole number in 0 … 2^53−1 (whole_count), so every clean row
    can be cast and summed by every model on every engine.
    `event_name_map` and `integration_catalog` are the seeds' relations: the
    calling model passes ref('event_name_map') and ref('integration_catalog'),
    so its lineage shows them.
    `free_text_keys` (the source YAML's meta.free_text_keys, macro
    source_free_text_keys) are removed from the stored properties on the
    parsed JSON (redact_json_object); text that is not a JSON object is not
    kept at all. The raw texts `occurred_at_text` and `properties` are kept
    for quarantined rows only (null on clean rows, whose parsed values are
    their columns).
    Only rows that share their event_id (or have none) go through the
    duplicate logic, and only those and defective rows are hashed: most
    events are delivered once, and hashing every row would dominate the cost.
-#}
{% macro triage_raw_events(source_relation, event_name_map, integration_catalog, free_text_keys) -%}
{%- set count_keys = [
    'records_count', 'api_calls', 'bytes', 'duration_ms',
    'custom_fields_count', 'filters_count', 'transformations_count',
] -%}
{%- set text_keys = ['error_code', 'error_message', 'trigger', 'direction'] -%}
{%- set raw_columns = [
    'source_system', 'event_name', 'account_id', 'connection_id', 'integration_key', 'user_id',
    'occurred_at', 'properties', 'loaded_at',
] -%}
{%- set output_columns = [
    'event_id', 'source_system', 'source_event_name', 'occurred_at_text',
    'account_id', 'connection_id', 'integration_key', 'user_id', 'properties_json',
    'loaded_at', 'event_name', 'occurred_at',
] -%}
{%- for key in text_keys %}{% do output_columns.append(key ~ '_text') %}{% endfor -%}
{%- for key in count_keys %}{% do output_columns.append(key ~ '_value') %}{% endfor -%}
{%- do output_columns.extend(['content_hash', 'collapsed_duplicate_count', 'rejection_reason']) -%}
{%- set content_columns = [
    'event_id', 'source_system', 'source_event_name', 'occurred_at_text',
    'account_id', 'connection_id', 'integration_key', 'user_id', 'properties',
] -%}
with

-- the event_id is trimmed first and alone: whether it is shared picks the
-- branch below, and each branch's filter then runs before the other texts
-- are trimmed (the shared branch keeps few rows)
raw_ids as {{ integration_adoption.cte_not_materialized() }} (
    select
        nullif({{ integration_adoption.trim_white_space('cast(event_id as ' ~ dbt.type_string() ~ ')') }}, '') as event_id,
        {{ raw_columns | join(',\n        ') }}
    from {{ source_relation }}
),

-- event_ids delivered more than once (a narrow aggregate: far cheaper than a
-- window over every row), and '' for the rows without one: both go through
-- the duplicate logic. No filter on the event_id itself, which DuckDB would
-- push below the trim and so trim every id twice.
shared_event_ids as (
    select event_id as event_key
    from raw_ids
    group by event_id
    having count(event_id) > 1
    union all
    select '' as event_key
),

-- every raw row once, flagged when its id is shared or missing: the single
-- copies from the read of every row, the rows of the shared ids read again
-- from the source by their raw id. An id without White_Space at its ends is
-- its own key and is looked up as it is, which DuckDB turns into a filter on
-- the id column of the scan; only the other ids are trimmed first. (A join of
-- every row to the shared ids read every column of every row twice: on 10 M
-- events delivered once, about 1 s of the triage's 14 s.)
raw_split as {{ integration_adoption.cte_not_materialized() }} (
    select
        raw_ids.*,
        false as is_shared_or_missing_id
    from raw_ids
    left join shared_event_ids
        on raw_ids.event_id = shared_event_ids.event_key
    where raw_ids.event_id is not null and shared_event_ids.event_key is null
    union all
    {%- for has_white_space_ends in [false, true] %}
    {%- set raw_id = 'cast(event_id as ' ~ dbt.type_string() ~ ')' %}
    {%- set ends_without = integration_adoption.ends_without_white_space(raw_id) %}
    select
        {{ raw_id if not has_white_space_ends else 'nullif(' ~ integration_adoption.trim_white_space(raw_id) ~ ", '')" }}
            as event_id,
        {{ raw_columns | join(', ') }},
        true as is_shared_or_missing_id
    from {{ source_relation }}
    where
        {%- if has_white_space_ends %}
        not coalesce({{ ends_without }}, false)
        and {{ integration_adoption.triage_key_of('event_id') }} in (select shared_event_ids.event_key from shared_event_ids)
        {%- else %}
        {{ ends_without }}
        and {{ raw_id }} in (select shared_event_ids.event_key from shared_event_ids)
        {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

raw_rows as {{ integration_adoption.cte_not_materialized() }} (
    select
        raw_split.event_id,
        raw_split.is_shared_or_missing_id,
        {%- for column in ['source_system', 'event_name', 'account_id', 'connection_id', 'integration_key', 'user_id'] %}
        nullif({{ integration_adoption.trim_white_space('cast(raw_split.' ~ column ~ ' as ' ~ dbt.type_string() ~ ')') }}, '')
            as {{ 'source_event_name' if column == 'event_name' else column }},
        {%- endfor %}
        -- not trimmed: the §2 grammar has no room for white space
        cast(raw_split.occurred_at as {{ dbt.type_string() }}) as occurred_at_text,
        cast(raw_split.properties as {{ dbt.type_string() }}) as properties,
        cast(raw_split.loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from raw_split
),

event_name_map as (
    select * from {{ event_name_map }}
),

integration_catalog as (
    select * from {{ integration_catalog }}
),

parsed as {{ integration_adoption.cte_not_materialized() }} (
    select
        raw_rows.*,
        event_name_map.event_name,
        integration_catalog.integration_key is not null as is_known_integration,
        {{ integration_adoption.parse_iso_timestamp_utc('raw_rows.occurred_at_text') }} as occurred_at,
        -- missing or JSON null: {}; not a JSON object: null (invalid)
        case
            when
                raw_rows.properties is null
                or {{ integration_adoption.trim_white_space('raw_rows.properties') }} = 'null'
                then '{}'
            when {{ integration_adoption.is_json_object('raw_rows.properties') }}
                then raw_rows.properties
        end as properties_json
    from raw_rows
    left join event_name_map
        on
            raw_rows.source_system = event_name_map.source_system
            and raw_rows.source_event_name = event_name_map.source_event_name
    left join integration_catalog
        on raw_rows.integration_key = integration_catalog.integration_key
),

extracted as (
    {{ integration_adoption.json_extract_texts('parsed', 'properties_json', count_keys + text_keys) }}
),

counted as (
    select
        extracted.*
        {%- for key in count_keys %},
        {{ integration_adoption.whole_count(key ~ '_text') }} as {{ key }}_value
        {%- endfor %}
    from extracted
),

classified as (
    select
        counted.*,
        -- the first defect in the order of metric-definitions §2
        case
            -- 1. a key is missing (without a load time rule 3 cannot be checked)
            when
                event_id is null
                or connection_id is null
                or account_id is null
                or integration_key is null
                or loaded_at is null
                then 'null_key'
            -- 2. occurred_at is not a timestamp
            when occurred_at is null
                then 'unparseable_timestamp'
            -- 3. occurred_at too far after its own load
            when occurred_at > {{ dbt.dateadd('day', var('future_timestamp_tolerance_days'), 'loaded_at') }}
                then 'future_timestamp'
            -- 4. no canonical name for (source_system, event_name)
            when event_name is null
                then 'unknown_event_name'
            -- 5. not a JSON object, or a count that is not a whole number in
            -- 0 … 2^53−1 (its text is there, its whole_count is not)
            when
                properties_json is null
                {%- for key in count_keys %}
                or ({{ key }}_text is not null and {{ key }}_value is null)
                {%- endfor %}
                then 'invalid_properties'
            -- 6. not in the integration catalog
            when not is_known_integration
                then 'unknown_integration'
        end as defect_reason
    from counted
),

-- delivered once, with an id: nothing to collapse or compare
single_copies as (
    select
        classified.*,
        case
            when defect_reason is not null
                then {{ integration_adoption.content_hash(content_columns) }}
        end as content_hash,
        0 as collapsed_duplicate_count,
        defect_reason as rejection_reason
    from classified
    where not is_shared_or_missing_id
),

shared_ids as (
    select
        classified.*,
        {{ integration_adoption.content_hash(content_columns) }} as content_hash
    from classified
    where is_shared_or_missing_id
),

collapsed as (
    select
        shared_ids.*,
        count(*) over (partition by event_id, content_hash) - 1 as collapsed_duplicate_count,
        row_number() over (
            partition by event_id, content_hash
            order by loaded_at nulls last
        ) as copy_number
    from shared_ids
),

distinct_content as (
    select
        collapsed.*,
        row_number() over (
            partition by event_id, defect_reason is null
            order by loaded_at nulls last, content_hash
        ) as content_rank
    from collapsed
    where copy_number = 1
),

shared_triaged as (
    select
        distinct_content.*,
        case
            when defect_reason is not null then defect_reason
            -- 7. a later (or larger-hash) copy of a clean event_id, content differs
            when content_rank > 1 then 'conflicting_duplicate'
        end as rejection_reason
    from distinct_content
),

triaged as (
    select {{ output_columns | join(', ') }} from single_copies
    union all
    select {{ output_columns | join(', ') }} from shared_triaged
),

-- personal data leaves here pseudonymised or redacted (README "Security and
-- governance"): after the hashing and duplicate logic, which see the raw values.
-- The raw texts (occurred_at, properties) are kept for the quarantine only: a
-- clean row's values are its parsed columns, and the texts are most of what a
-- write of every raw row costs (10 M events: 30 s to 24 s, 36% less on disk)
final as (
    select
        -- the event_id where it was delivered once, else the content hash
        coalesce(content_hash, event_id) as triaged_row_id,
        -- what an incremental run replaces: every row of one event_id
        -- (macro triage_scope); '' for the rows without one
        coalesce(event_id, '') as triage_key,
        {%- for column in output_columns %}
        {%- if column == 'user_id' %}
        {{ integration_adoption.pseudonymise('user_id') }} as user_id,
        {%- elif column == 'occurred_at_text' %}
        case when rejection_reason is not null then occurred_at_text end as occurred_at_text,
        {%- elif column == 'properties_json' %}
        case
            when rejection_reason is not null
                then {{ integration_adoption.redact_json_object('properties_json', free_text_keys) }}
        end as properties,
        {%- elif column != 'error_message_text' %}
        {{ column }},
        {%- endif %}
        {%- endfor %}
        -- free text that may echo customer content: only whether there was one
        error_message_text is not null as has_error_message
    from triaged
)

select * from final
{%- endmacro %}
