{#- True when the text matches a regular expression (a match anywhere:
    anchor it with ^ and $). Keep patterns free of backslashes ([0-9], [.])
    so the same literal means the same on every engine. -#}
{% macro regex_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'integration_adoption')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{#- Java's $ also matches before a final line break: \z (the backslash
    doubled for the Spark string literal) is the true end -#}
{% macro spark__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern | replace('$', '\\\\z') }}')
{%- endmacro %}
