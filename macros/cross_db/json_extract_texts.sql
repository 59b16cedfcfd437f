{#- Adds one text column `<key>_text` per JSON key to every row of
    `relation` (a table or CTE name). DuckDB parses each document once for
    all keys; the default extracts key by key. -#}
{% macro json_extract_texts(relation, column, keys) -%}
    {{ return(adapter.dispatch('json_extract_texts', 'integration_adoption')(relation, column, keys)) }}
{%- endmacro %}

{% macro default__json_extract_texts(relation, column, keys) -%}
    select
        {{ relation }}.*
        {%- for key in keys %},
        {{ integration_adoption.json_extract_text(column, key) }} as {{ key }}_text
        {%- endfor %}
    from {{ relation }}
{%- endmacro %}

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

{#- PostgreSQL: each document is parsed once into jsonb (offset 0 keeps the
    planner from inlining the parse into every key's expression). -#}
{% macro postgres__json_extract_texts(relation, column, keys) -%}
    select
        {{ relation }}.*
        {%- for key in keys %},
        json_document.document ->> '{{ key }}' as {{ key }}_text
        {%- endfor %}
    from {{ relation }}
    cross join lateral (
        select cast({{ column }} as jsonb) as document
        offset 0
    ) as json_document
{%- endmacro %}
