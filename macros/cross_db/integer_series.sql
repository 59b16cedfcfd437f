{#- Rows `generated_number` = 1, 2, …, upper_bound, where upper_bound is any
    integer SQL expression, also a scalar subquery (dbt.generate_series
    wants a literal number except on DuckDB and Postgres' own overrides). -#}
{% macro integer_series(upper_bound) -%}
    {{ return(adapter.dispatch('integer_series', 'integration_adoption')(upper_bound)) }}
{%- endmacro %}

{% macro default__integer_series(upper_bound) -%}
    select series.generated_number
    from generate_series(1, {{ upper_bound }}) as series (generated_number)
{%- endmacro %}

{% macro duckdb__integer_series(upper_bound) -%}
    {{ dbt.generate_series(upper_bound) }}
{%- endmacro %}

{% macro spark__integer_series(upper_bound) -%}
    select explode(sequence(1, {{ upper_bound }})) as generated_number
{%- endmacro %}
