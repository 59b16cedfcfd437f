{#- The keys of a source column that the source YAML marks as free text
    (meta: free_text_keys), read from the manifest; [] while dbt parses.
    A unit test has no manifest graph: it overrides this macro with the
    keys (overrides: macros: source_free_text_keys: [...]). -#}
{% macro source_free_text_keys(source_name, table_name, column_name) -%}
    {%- set found = [] -%}
    {%- if execute -%}
        {%- if 'sources' not in graph -%}
            {{ exceptions.raise_compiler_error(
                "source_free_text_keys: no manifest graph here (a unit test?): override the macro with the keys") }}
        {%- endif -%}
        {%- for node in graph.sources.values() if node.source_name == source_name and node.name == table_name -%}
            {%- set column = node.columns.get(column_name, {}) -%}
            {%- set meta = column.get('meta') or column.get('config', {}).get('meta') or {} -%}
            {%- do found.extend(meta.get('free_text_keys', [])) -%}
        {%- endfor -%}
        {%- if not found -%}
            {{ exceptions.raise_compiler_error(
                "source " ~ source_name ~ "." ~ table_name ~ "." ~ column_name
                ~ " has no meta.free_text_keys: list the keys that hold free text") }}
        {%- endif -%}
    {%- endif -%}
    {{ return(found) }}
{%- endmacro %}
