{#- The last non-null value of an expression over a window (SQL:2011
    `last_value(... ignore nulls)`). `window` is the text inside over (…). -#}
{% macro last_non_null(expression, window) -%}
    {{ return(adapter.dispatch('last_non_null', 'integration_adoption')(expression, window)) }}
{%- endmacro %}

{% macro default__last_non_null(expression, window) -%}
    last_value({{ expression }} ignore nulls) over ({{ window }})
{%- endmacro %}

{% macro spark__last_non_null(expression, window) -%}
    last({{ expression }}, true) over ({{ window }})
{%- endmacro %}

{#- PostgreSQL has no `ignore nulls`: an aggregate keeping the last non-null
    value, used as a window function over the same frame. -#}
{% macro postgres__last_non_null(expression, window) -%}
    {{ adapter.quote(target.schema) }}.ia_last_non_null({{ expression }}) over ({{ window }})
{%- endmacro %}
