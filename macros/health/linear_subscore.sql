{#- A health sub-score (metric-definitions §6): 0 points at the at-risk
    value, 100 at the healthy value, linear in between and clamped. Works
    whichever way round the two values are (lower can be better). Null when
    the value is null. -#}
{% macro linear_subscore(value, at_risk, healthy) -%}
    case
        when {{ value }} is null then null
        when ({{ value }} - {{ at_risk }}) / ({{ healthy }} - {{ at_risk }}) <= 0 then 0.0
        when ({{ value }} - {{ at_risk }}) / ({{ healthy }} - {{ at_risk }}) >= 1 then 100.0
        else 100.0 * ({{ value }} - {{ at_risk }}) / ({{ healthy }} - {{ at_risk }})
    end
{%- endmacro %}
