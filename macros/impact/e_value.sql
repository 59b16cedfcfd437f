{#- The E-value of a risk ratio (VanderWeele & Ding 2017; metric-definitions
    §8.1): RR + √(RR · (RR − 1)), with 1 ÷ RR when RR < 1. Null when the
    risk ratio is null or not positive. A risk ratio within 1e-12 of 1 is 1
    (E = 1): it is a ratio of two means whose last bits depend on the order
    the engine adds their terms in, and the square root would turn 1e-16 of
    that noise into 1e-8 (two builds of the same data then disagree); the
    E-value moves by at most 1e-6 there. -#}
{% macro e_value(risk_ratio) -%}
    {{ return(adapter.dispatch('e_value', 'integration_adoption')(risk_ratio)) }}
{%- endmacro %}

{% macro default__e_value(risk_ratio) -%}
    case
        when abs({{ risk_ratio }} - 1) <= 1e-12 then cast(1 as {{ integration_adoption.type_double() }})
        when {{ risk_ratio }} >= 1 then {{ risk_ratio }} + sqrt({{ risk_ratio }} * ({{ risk_ratio }} - 1))
        when {{ risk_ratio }} > 0
            then 1 / {{ risk_ratio }} + sqrt(1 / {{ risk_ratio }} * (1 / {{ risk_ratio }} - 1))
    end
{%- endmacro %}
