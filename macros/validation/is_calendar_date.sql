{#- True for a date object, or text that is exactly YYYY-MM-DD and a real
    calendar day (2025-02-30 is not). -#}
{% macro is_calendar_date(value) -%}
    {%- if value is string -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value) -%}
            {{ return(false) }}
        {%- endif -%}
        {%- set parts = value.split('-') | map('int') | list -%}
        {%- set days_in_month = [31, 29 if (parts[0] % 4 == 0 and (parts[0] % 100 != 0 or parts[0] % 400 == 0)) else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
        {{ return(parts[1] >= 1 and parts[1] <= 12 and parts[2] >= 1 and parts[2] <= days_in_month[parts[1] - 1]) }}
    {%- endif -%}
    {#- YAML reads an unquoted 2025-06-30 as a date -#}
    {{ return(value is not number and value is not sequence and value is not mapping and value is not boolean
        and value is not none and (value | string | length) == 10
        and integration_adoption.is_calendar_date(value | string)) }}
{%- endmacro %}
