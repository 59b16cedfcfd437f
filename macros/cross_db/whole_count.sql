{#- A count property (metric-definitions §2): its text as the JSON reader
    gives it (json_extract_texts: a string's content, a number as written
    or normalised) must be a whole number in 0 … 2^53−1 written
    ^[0-9]+(\.0+)?$, so every sum stays exact and in range on every
    engine. whole_count is the count as a bigint, null when missing or
    invalid, so a count's text is valid exactly when it is missing or its
    whole_count is not null: the triage reads each text once. A fraction
    (0.5), NaN, Infinity, 1e400, 1.7e308, 2^63, a negative number, a
    boolean or a nested value is invalid. Checked on the text (at most 16
    significant digits, compared as text with 2^53−1), so no cast can fail
    or overflow. -#}
{%- macro _whole_count_pattern() -%}
    {{ return('^0*([0-9]{1,16})([.]0+)?$') }}
{%- endmacro %}

{% macro whole_count(text_expression) -%}
    {{ return(adapter.dispatch('whole_count', 'integration_adoption')(text_expression)) }}
{%- endmacro %}

{% macro default__whole_count(text_expression) -%}
{%- set digits = integration_adoption.regex_group(text_expression, integration_adoption._whole_count_pattern()) -%}
    case
        when
            {{ integration_adoption.regex_matches(text_expression, integration_adoption._whole_count_pattern()) }}
            and (length({{ digits }}) < 16 or {{ digits }} <= '9007199254740991')
            then {{ integration_adoption.cast_checked(
                integration_adoption.regex_group(text_expression, integration_adoption._whole_count_pattern()),
                dbt.type_bigint(),
            ) }}
    end
{%- endmacro %}

{#- DuckDB: most counts are plain digits, at most 15 of them (below 2^53),
    read by one match without groups and a cast. Any other text: the
    pattern's group is '' exactly when the text does not match (a match has
    at least one digit), so one regexp_extract, bound once per row by a
    lambda over a one-element list, decides and gives the digits (the
    default repeats the match up to four times a value). -#}
{% macro duckdb__whole_count(text_expression) -%}
    case
        when regexp_full_match({{ text_expression }}, '[0-9]{1,15}')
            then {{ integration_adoption.cast_checked(text_expression, dbt.type_bigint()) }}
        else list_transform(
            [regexp_extract({{ text_expression }}, '{{ integration_adoption._whole_count_pattern() }}', 1)],
            lambda digits: case
                when digits != '' and (length(digits) < 16 or digits <= '9007199254740991')
                    then {{ integration_adoption.cast_checked('digits', dbt.type_bigint()) }}
            end
        )[1]
    end
{%- endmacro %}
