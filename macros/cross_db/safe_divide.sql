{#- numerator / denominator as a double; null when the denominator is 0 or
    null (a rate with no denominator is unknown, never 0: metric-definitions §0). -#}
{% macro safe_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('safe_divide', 'integration_adoption')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    case
        when {{ denominator }} != 0
            then cast({{ numerator }} as {{ integration_adoption.type_double() }})
            / cast({{ denominator }} as {{ integration_adoption.type_double() }})
    end
{%- endmacro %}
