{#- True when the text parses as JSON. -#}
{% macro is_valid_json(column) -%}
    {{ return(adapter.dispatch('is_valid_json', 'integration_adoption')(column)) }}
{%- endmacro %}

{% macro default__is_valid_json(column) -%}
    ({{ column }} is json)
{%- endmacro %}

{% macro duckdb__is_valid_json(column) -%}
    json_valid({{ column }})
{%- endmacro %}

{% macro postgres__is_valid_json(column) -%}
    {{ adapter.quote(target.schema) }}.ia_is_valid_json({{ column }})
{%- endmacro %}

{#- get_json_object returns null for text that does not parse -#}
{% macro spark__is_valid_json(column) -%}
    (get_json_object({{ column }}, '$') is not null)
{%- endmacro %}
