{#- True when the text is one JSON object (RFC 8259: double quotes, no
    comments, no trailing text), false otherwise (never null, never an
    error). A repeated key does not make it invalid; the first occurrence
    counts (json_extract_texts). -#}
{% macro is_json_object(column) -%}
    {{ return(adapter.dispatch('is_json_object', 'integration_adoption')(column)) }}
{%- endmacro %}

{#- PostgreSQL: the json type's parser is strict; ia_is_valid_json catches
    its error -#}
{% macro default__is_json_object(column) -%}
    coalesce(
        case
            when {{ integration_adoption.is_valid_json(column) }}
                then json_typeof(cast({{ column }} as json)) = 'object'
        end,
        false
    )
{%- endmacro %}

{#- DuckDB's reader also takes NaN, Infinity and trailing commas (a count
    written so is still refused by whole_count). Valid JSON that starts
    with `{` is an object, so only the other texts (leading white space,
    arrays, scalars) are asked for their type: most documents are parsed
    once here instead of twice (10 M events: about 0.5 s of the triage). -#}
{% macro duckdb__is_json_object(column) -%}
    coalesce(
        case
            when starts_with({{ column }}, '{') then json_valid({{ column }})
            when json_valid({{ column }}) then json_type({{ column }}) = 'OBJECT'
        end,
        false
    )
{%- endmacro %}

{#- Spark's get_json_object and json_object_keys read leniently (single
    quotes, raw control characters, trailing text: Hive's choice), so the
    strict Variant reader (try_parse_json, null on any error) decides. It
    refuses a repeated key, which §2 allows: a document whose top-level keys
    repeat is accepted when the lenient reader reads it. -#}
{% macro spark__is_json_object(column) -%}
    coalesce(
        json_object_keys({{ column }}) is not null
        and (
            try_parse_json({{ column }}) is not null
            or size(json_object_keys({{ column }})) > size(array_distinct(json_object_keys({{ column }})))
        ),
        false
    )
{%- endmacro %}
