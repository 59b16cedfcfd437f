{#- The text of the first parenthesised group of a regular expression's
    first match, '' when it does not match (null stays null). Patterns as
    for regex_matches. -#}
{% macro regex_group(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_group', 'integration_adoption')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_group(expression, pattern) -%}
    coalesce(substring({{ expression }} from '{{ pattern }}'), case when {{ expression }} is not null then '' end)
{%- endmacro %}

{% macro duckdb__regex_group(expression, pattern) -%}
    regexp_extract({{ expression }}, '{{ pattern }}', 1)
{%- endmacro %}

{#- $ as in spark__regex_matches -#}
{% macro spark__regex_group(expression, pattern) -%}
    regexp_extract({{ expression }}, '{{ pattern | replace('$', '\\\\z') }}', 1)
{%- endmacro %}
