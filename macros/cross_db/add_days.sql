{#- date + n days, as a date on every engine (dbt.dateadd returns a
    timestamp on some). -#}
{% macro add_days(days, date_expression) -%}
    cast({{ dbt.dateadd('day', days, date_expression) }} as date)
{%- endmacro %}
