{#- Text with leading and trailing Unicode White_Space removed
    (metric-definitions §2): space, tab, line feed, vertical tab, form feed,
    carriage return, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029,
    U+202F, U+205F, U+3000. Zero-width characters are not White_Space and
    stay. Every engine trims a set of characters (code points, not bytes). -#}
{% macro trim_white_space(expression) -%}
    {{ return(adapter.dispatch('trim_white_space', 'integration_adoption')(expression)) }}
{%- endmacro %}

{%- macro white_space_code_points() -%}
    {{ return([9, 10, 11, 12, 13, 32, 133, 160, 5760] + range(8192, 8203) | list + [8232, 8233, 8239, 8287, 12288]) }}
{%- endmacro %}

{#- PostgreSQL (a UTF8 database): btrim with the characters built by chr -#}
{% macro default__trim_white_space(expression) -%}
    btrim({{ expression }}, {% for code in integration_adoption.white_space_code_points() %}chr({{ code }}){% if not loop.last %} || {% endif %}{% endfor %})
{%- endmacro %}

{#- DuckDB: trim with a set of characters costs ~1 µs a value (10 M events,
    8 trims a row: tens of seconds), so a text whose first and last
    characters are printable ASCII (! … ~, no White_Space among them: most
    ids and JSON documents) is returned as it is, without trimming -#}
{% macro duckdb__trim_white_space(expression) -%}
    case
        when {{ integration_adoption.ends_without_white_space(expression) }}
            then {{ expression }}
        else trim({{ expression }}, {% for code in integration_adoption.white_space_code_points() %}chr({{ code }}){% if not loop.last %} || {% endif %}{% endfor %})
    end
{%- endmacro %}

{#- True when trim_white_space would return the text as it is because its
    first and last characters are not White_Space; false (or null) when it
    may not: a text to trim, an empty text, null. Lets a lookup by the
    trimmed text match most values as they are (triage_scope). -#}
{% macro ends_without_white_space(expression) -%}
    {{ return(adapter.dispatch('ends_without_white_space', 'integration_adoption')(expression)) }}
{%- endmacro %}

{% macro default__ends_without_white_space(expression) -%}
    ({{ expression }} != '' and {{ expression }} = {{ integration_adoption.trim_white_space(expression) }})
{%- endmacro %}

{#- DuckDB: printable ASCII (! … ~) at both ends. The first character by
    comparing bytes (a text from '!' up to, not including, chr(127) starts
    with one; as a filter on a Parquet scan, the row groups' min/max decide
    it), the last by taking it: about a quarter of the cost of two anchored
    regular expressions (100 M events: 7 texts of every row checked in 9 s
    instead of 38 s) -#}
{% macro duckdb__ends_without_white_space(expression) -%}
    ({{ expression }} >= '!' and {{ expression }} < chr(127) and array_extract({{ expression }}, -1) between '!' and '~')
{%- endmacro %}

{#- Spark's chr() wraps above 255: the characters as \uXXXX escapes of a
    Spark string literal instead -#}
{% macro spark__trim_white_space(expression) -%}
    trim(both '{% for code in integration_adoption.white_space_code_points() %}\u{{ '%04X' % code }}{% endfor %}' from {{ expression }})
{%- endmacro %}
