{#- The period k of a retention curve that `day` falls on, for a member
    activated on `activated_date` (metric-definitions §5): the k-th
    observation day is activated_date + 7k days (grain 'week') or + k
    calendar months (grain 'month'), rising with k. side 'last': the last k
    whose observation day is on or before `day`; 'first': the first k whose
    observation day is on or after it. The month count is taken between
    first days of months, exact on every engine. -#}
{% macro retention_period_at(day, activated_date, grain, side) -%}
    {%- set days = dbt.datediff(activated_date, day, 'day') -%}
    {%- set months = dbt.datediff(
        dbt.date_trunc('month', activated_date), dbt.date_trunc('month', day), 'month') -%}
    {%- set month_day = 'cast(' ~ dbt.dateadd('month', months, activated_date) ~ ' as date)' -%}
    case
        when {{ grain }} = 'week'
            then cast({{ 'floor' if side == 'last' else 'ceil' }}({{ days }} / 7.0) as {{ dbt.type_int() }})
        when {{ month_day }} {{ '<=' if side == 'last' else '>=' }} {{ day }} then {{ months }}
        else {{ months }} {{ '- 1' if side == 'last' else '+ 1' }}
    end
{%- endmacro %}

{#- The periods of the retention curves, one row each: (week, 0) …
    (week, `retention_weeks`) and (month, 0) … (month, `retention_months`). -#}
{% macro retention_periods() -%}
    select
        'week' as period_grain,
        week_numbers.generated_number - 1 as period_number
    from ({{ integration_adoption.integer_series(var('retention_weeks') + 1) }}) as week_numbers
    union all
    select
        'month' as period_grain,
        month_numbers.generated_number - 1 as period_number
    from ({{ integration_adoption.integer_series(var('retention_months') + 1) }}) as month_numbers
{%- endmacro %}
