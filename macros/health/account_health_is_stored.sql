{#- Whether an account's health score of a day is stored (metric-definitions
    §6): from the account's first install to the as-of date, daily over the
    last `health_daily_history_days` days and on Mondays before them. -#}
{% macro account_health_is_stored(date_expression, first_installed_expression, as_of_expression) -%}
    (
        {{ date_expression }} >= {{ first_installed_expression }}
        and {{ date_expression }} <= {{ as_of_expression }}
        and (
            {{ date_expression }}
            > {{ integration_adoption.add_days(-var('health_daily_history_days'), as_of_expression) }}
            or cast({{ dbt.date_trunc('week', date_expression) }} as date) = {{ date_expression }}
        )
    )
{%- endmacro %}
