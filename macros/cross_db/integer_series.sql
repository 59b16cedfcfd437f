{#- One row per integer `generated_number` from 1 to upper_bound, where the
    bound may be any SQL expression, e.g. a scalar subquery (dbt.generate_series
    needs a number known at compile time on most adapters). -#}
{% macro integer_series(upper_bound) -%}
    {{ return(adapter.dispatch('integer_series', 'integration_adoption')(upper_bound)) }}
{%- endmacro %}

{% macro default__integer_series(upper_bound) -%}
    select series.generated_number
    from generate_series(1, {{ upper_bound }}) as series (generated_number)
{%- endmacro %}

{% macro spark__integer_series(upper_bound) -%}
    select explode(sequence(1, {{ upper_bound }})) as generated_number
{%- endmacro %}
