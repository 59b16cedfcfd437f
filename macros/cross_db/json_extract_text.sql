{#- The value of a top-level key of a JSON text, as text (null when absent). -#}
{% macro json_extract_text(column, key) -%}
    {{ return(adapter.dispatch('json_extract_text', 'integration_adoption')(column, key)) }}
{%- endmacro %}

{% macro default__json_extract_text(column, key) -%}
    cast({{ column }} as json) ->> '{{ key }}'
{%- endmacro %}

{% macro duckdb__json_extract_text(column, key) -%}
    json_extract_string({{ column }}, '$.{{ key }}')
{%- endmacro %}

{% macro spark__json_extract_text(column, key) -%}
    get_json_object({{ column }}, '$.{{ key }}')
{%- endmacro %}
