{#- A cast of text a regular expression has already checked. An optimiser
    may evaluate a CASE branch's expressions early (Spark's common
    subexpressions) on rows the check refused, where a plain cast fails
    under ANSI rules: try_cast there, and on DuckDB; PostgreSQL evaluates
    CASE branches only when taken. -#}
{% macro cast_checked(expression, data_type) -%}
    {{ return(adapter.dispatch('cast_checked', 'integration_adoption')(expression, data_type)) }}
{%- endmacro %}

{% macro default__cast_checked(expression, data_type) -%}
    cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro duckdb__cast_checked(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro spark__cast_checked(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
