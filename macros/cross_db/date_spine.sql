{#- One row per day (`date_day`) from start_column to end_column inclusive,
    for each row of `relation` (a table or CTE name holding the bounds). -#}
{% macro date_spine(relation, start_column, end_column) -%}
    {{ return(adapter.dispatch('date_spine', 'integration_adoption')(relation, start_column, end_column)) }}
{%- endmacro %}

{% macro default__date_spine(relation, start_column, end_column) -%}
    select
        {{ relation }}.*,
        cast(series.day_start as date) as date_day
    from {{ relation }}
    cross join lateral generate_series(
        cast({{ start_column }} as timestamp),
        cast({{ end_column }} as timestamp),
        interval '1 day'
    ) as series (day_start)
{%- endmacro %}

{% macro duckdb__date_spine(relation, start_column, end_column) -%}
    select
        {{ relation }}.*,
        cast(unnest(generate_series(
            cast({{ start_column }} as timestamp),
            cast({{ end_column }} as timestamp),
            interval 1 day
        )) as date) as date_day
    from {{ relation }}
{%- endmacro %}

{% macro spark__date_spine(relation, start_column, end_column) -%}
    select
        {{ relation }}.*,
        explode(sequence(
            cast({{ start_column }} as date),
            cast({{ end_column }} as date),
            interval 1 day
        )) as date_day
    from {{ relation }}
{%- endmacro %}
