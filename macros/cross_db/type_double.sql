{#- An 8-byte floating point type on every engine. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'integration_adoption')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
