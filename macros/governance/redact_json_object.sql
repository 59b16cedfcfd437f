{#- A JSON object's text without its free-text keys, decided on the parsed
    document, not on text patterns: a key is removed whatever its escaping
    ("error_m\u0065ssage" is error_message), its value's type (string,
    array, object) and however often it repeats. Text that is not a JSON
    object (is_json_object; single-quoted "JSON", truncated text, an array,
    a bare string) cannot be redacted by parsing and is not kept: null.
    The keys come from the source YAML (macro source_free_text_keys). -#}
{% macro redact_json_object(column, keys) -%}
    {{ return(adapter.dispatch('redact_json_object', 'integration_adoption')(column, keys)) }}
{%- endmacro %}

{#- PostgreSQL: the pairs in order (a repeated key stays repeated), the
    free-text ones left out -#}
{% macro default__redact_json_object(column, keys) -%}
    case
        when {{ integration_adoption.is_json_object(column) }} then (
            select cast(coalesce(
                json_object_agg(pair.json_key, pair.json_value order by pair.json_position),
                cast('{}' as json)
            ) as text)
            from json_each(cast({{ column }} as json)) with ordinality as pair (json_key, json_value, json_position)
            {%- if keys %}
            where pair.json_key not in ({% for key in keys %}'{{ key }}'{% if not loop.last %}, {% endif %}{% endfor %})
            {%- endif %}
        )
    end
{%- endmacro %}

{#- DuckDB: a JSON merge patch with null removes every occurrence of a key -#}
{% macro duckdb__redact_json_object(column, keys) -%}
    case
        when {{ integration_adoption.is_json_object(column) }}
            {%- if keys %}
            then cast(json_merge_patch({{ column }}, '{ {%- for key in keys %}"{{ key }}": null{% if not loop.last %}, {% endif %}{% endfor -%} }') as varchar)
            {%- else %}
            then {{ column }}
            {%- endif %}
    end
{%- endmacro %}

{#- Spark: read as a map of texts (every value becomes a JSON string) and
    filtered. A map refuses a repeated key (an error, not a null), so a
    document whose top-level keys repeat is not kept. -#}
{% macro spark__redact_json_object(column, keys) -%}
    case
        when {{ integration_adoption.is_json_object(column) }}
            and size(json_object_keys({{ column }})) = size(array_distinct(json_object_keys({{ column }})))
            then to_json(map_filter(
                from_json({{ column }}, 'map<string, string>'),
                (json_key, json_value) -> not json_key in ({% for key in keys %}'{{ key }}'{% if not loop.last %}, {% endif %}{% endfor %}{% if not keys %}''{% endif %})
            ))
    end
{%- endmacro %}
