{#- A JSON object as text from (key, SQL expression) pairs, in order:
    json_build_object([['records_count', 'rows_written_text'], ...]).
    Text values become JSON strings, numbers JSON numbers; a null value is
    JSON null (on Spark too: to_json keeps null keys with ignoreNullFields
    false). Postgres is the default. -#}
{% macro json_build_object(pairs) -%}
    {{ return(adapter.dispatch('json_build_object', 'integration_adoption')(pairs)) }}
{%- endmacro %}

{% macro default__json_build_object(pairs) -%}
    cast(json_build_object(
        {%- for key, value in pairs %}
        '{{ key }}', {{ value }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro duckdb__json_build_object(pairs) -%}
    cast(json_object(
        {%- for key, value in pairs %}
        '{{ key }}', {{ value }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro spark__json_build_object(pairs) -%}
    to_json(named_struct(
        {%- for key, value in pairs %}
        '{{ key }}', {{ value }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{%- endmacro %}
