{#- Adds one text column `<key>_text` per JSON key to every row of
    `relation` (a table or CTE name): the value of the key's FIRST
    occurrence in the top-level object (metric-definitions §2: a repeated
    key counts once, the first time, on every engine; this macro decides).
    A string gives its content, a number its digits, true/false their
    names, an object or array its JSON text, JSON null or an absent key
    null. Keys are matched after unescaping ("error_m\u0065ssage" is
    error_message). `column` must be null or a JSON object
    (is_json_object). -#}
{% macro json_extract_texts(relation, column, keys) -%}
    {{ return(adapter.dispatch('json_extract_texts', 'integration_adoption')(relation, column, keys)) }}
{%- endmacro %}

{#- Spark: get_json_object stops at the first occurrence of the key (one
    quirk: a first occurrence that is JSON null is skipped). -#}
{% macro default__json_extract_texts(relation, column, keys) -%}
    select
        {{ relation }}.*
        {%- for key in keys %},
        {{ integration_adoption.json_extract_text(column, key) }} as {{ key }}_text
        {%- endfor %}
    from {{ relation }}
{%- endmacro %}

{#- DuckDB parses each document once for all keys; its reader returns the
    first occurrence. -#}
{% macro duckdb__json_extract_texts(relation, column, keys) -%}
    select
        * exclude (json_values)
        {%- for key in keys %},
        json_values[{{ loop.index }}] as {{ key }}_text
        {%- endfor %}
    from (
        select
            {{ relation }}.*,
            json_extract_string(
                {{ column }},
                [{% for key in keys %}'$.{{ key }}'{% if not loop.last %}, {% endif %}{% endfor %}]
            ) as json_values
        from {{ relation }}
    )
{%- endmacro %}

{#- PostgreSQL: jsonb and ->> keep the LAST occurrence of a repeated key, so
    the pairs are read in order with json_each and the first one per key is
    taken. A number is given in numeric's canonical form (1e3 → 1000, as
    DuckDB's reader prints it; an exponent of three digits or more is left
    as written, so a huge number cannot overflow numeric). -#}
{% macro postgres__json_extract_texts(relation, column, keys) -%}
    select
        {{ relation }}.*
        {%- for key in keys %},
        json_values.{{ key }}_text
        {%- endfor %}
    from {{ relation }}
    cross join lateral (
        select
            {%- for key in keys %}
            (array_agg(json_pair.json_text order by json_pair.json_position)
                filter (where json_pair.json_key = '{{ key }}'))[1] as {{ key }}_text
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        from (
            select
                pair.json_key,
                pair.json_position,
                case
                    when json_typeof(pair.json_value) = 'number'
                        and (pair.json_value #>> '{}') !~ '[eE][+-]?[0-9]{3,}'
                        then cast(cast(pair.json_value #>> '{}' as numeric) as text)
                    else pair.json_value #>> '{}'
                end as json_text
            from json_each(cast({{ column }} as json)) with ordinality as pair (json_key, json_value, json_position)
        ) as json_pair
    ) as json_values
{%- endmacro %}
