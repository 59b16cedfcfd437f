{#- timestamp + n minutes (n an integer expression), keeping fractions of a
    second on every engine (dbt-spark's dateadd for minutes goes through
    unix seconds and drops them). -#}
{% macro add_minutes(minutes, timestamp_expression) -%}
    {{ return(adapter.dispatch('add_minutes', 'integration_adoption')(minutes, timestamp_expression)) }}
{%- endmacro %}

{% macro default__add_minutes(minutes, timestamp_expression) -%}
    ({{ timestamp_expression }} + ({{ minutes }}) * interval '1 minute')
{%- endmacro %}

{% macro duckdb__add_minutes(minutes, timestamp_expression) -%}
    ({{ timestamp_expression }} + to_minutes(cast({{ minutes }} as bigint)))
{%- endmacro %}

{% macro spark__add_minutes(minutes, timestamp_expression) -%}
    timestampadd(MINUTE, {{ minutes }}, {{ timestamp_expression }})
{%- endmacro %}
