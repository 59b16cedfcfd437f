{#- The E-value of a risk ratio (VanderWeele & Ding 2017; metric-definitions
    §8.1): RR + √(RR · (RR − 1)), with 1 ÷ RR when RR < 1. Null when the
    risk ratio is null or not positive. -#}
{% macro e_value(risk_ratio) -%}
    {{ return(adapter.dispatch('e_value', 'integration_adoption')(risk_ratio)) }}
{%- endmacro %}

{% macro default__e_value(risk_ratio) -%}
    case
        when {{ risk_ratio }} >= 1 then {{ risk_ratio }} + sqrt({{ risk_ratio }} * ({{ risk_ratio }} - 1))
        when {{ risk_ratio }} > 0
            then 1 / {{ risk_ratio }} + sqrt(1 / {{ risk_ratio }} * (1 / {{ risk_ratio }} - 1))
    end
{%- endmacro %}
