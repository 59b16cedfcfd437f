{#- For check_raw_contract, on any adapter with raw tables in the warehouse
    (raw_from_files false; on Spark, the tables register_raw_files made):
    the columns and types of each source table. -#}
{% macro raw_relation_columns(tables) -%}
    {%- set absent = {} -%}
    {%- set missing = [] -%}
    {%- set columns = [] -%}
    {%- set names = [] -%}
    {%- for table in tables -%}
        {%- set relation = adapter.get_relation(
            database=table.database, schema=table.schema, identifier=table.identifier) -%}
        {%- do absent.update({table.unique_id: 'no table ' ~ table.schema ~ '.' ~ table.identifier}) -%}
        {%- do names.append(table.identifier) -%}
        {%- if relation is none -%}
            {%- do missing.append(table) -%}
        {%- else -%}
            {%- set types = {} -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- do types.update({column.name | lower: column.dtype}) -%}
            {%- endfor -%}
            {%- do columns.append((table, 'the table ' ~ table.schema ~ '.' ~ table.identifier, types)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set nothing_found = 'No raw tables in the schema ' ~ var('raw_schema')
        ~ (' of ' ~ var('raw_database') if var('raw_database') else '') ~ ' (target ' ~ target.name
        ~ '): none of ' ~ names | join(', ') ~ ' exists. Load the raw tables there, set the vars '
        ~ "raw_schema / raw_database, or read Parquet files with --vars '{raw_from_files: true}' (DuckDB)." -%}
    {{ return({'missing': missing, 'columns': columns, 'absent': absent, 'nothing_found': nothing_found}) }}
{%- endmacro %}
