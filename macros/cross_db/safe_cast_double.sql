{#- Text -> double precision, null when it is not a number. dbt.type_float()
    is a 4-byte float on DuckDB, so doubles go through this macro. -#}
{% macro safe_cast_double(expression) -%}
    {{ return(adapter.dispatch('safe_cast_double', 'integration_adoption')(expression)) }}
{%- endmacro %}

{% macro default__safe_cast_double(expression) -%}
    {{ dbt.safe_cast(expression, integration_adoption.type_double()) }}
{%- endmacro %}

{% macro duckdb__safe_cast_double(expression) -%}
    try_cast({{ expression }} as double)
{%- endmacro %}

{#- PostgreSQL's cast fails on bad text (dbt.safe_cast is a plain cast there).
    Plain decimal numbers are cast directly; anything else goes through a
    function that catches the error (a subtransaction per call, so slow). -#}
{% macro postgres__safe_cast_double(expression) -%}
    case
        when {{ expression }} ~ '^-?[0-9]{1,15}(\.[0-9]+)?([eE][+-]?[0-9]{1,2})?$'
            then cast({{ expression }} as double precision)
        else {{ adapter.quote(target.schema) }}.ia_try_cast_double({{ expression }})
    end
{%- endmacro %}
