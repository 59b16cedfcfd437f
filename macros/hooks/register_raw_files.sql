{#- on-run-start: on Spark, registers each raw Parquet folder under
    `raw_data_path` (one folder per source table) as an external table of
    `raw_schema`, so the sources read the same files as DuckDB's
    read_parquet. Dropping an external table keeps its files; the tables are
    re-created on every run, so new files are always seen. Other adapters
    (and raw_from_files: false, raw tables already in the warehouse) run
    nothing. -#}
{% macro register_raw_files() -%}
    {{ return(adapter.dispatch('register_raw_files', 'integration_adoption')()) }}
{%- endmacro %}

{% macro default__register_raw_files() -%}
    {{ return('') }}
{%- endmacro %}

{% macro spark__register_raw_files() -%}
    {%- if not execute or not var('raw_from_files') -%}
        {{ return('') }}
    {%- endif -%}
    {%- set raw_path = integration_adoption.raw_data_path() -%}
    {#- Spark resolves a relative LOCATION against the schema's own folder -#}
    {%- if not (raw_path.startswith('/') or '://' in raw_path) -%}
        {{ exceptions.raise_compiler_error(
            'register_raw_files: on Spark the raw data path must be absolute or a URI, got '
            ~ raw_path ~ ' (set IA_RAW_DATA_PATH or the var raw_data_path)'
        ) }}
    {%- endif -%}
    {%- do run_query('create schema if not exists ' ~ var('raw_schema')) -%}
    {%- for source_node in graph.sources.values() | sort(attribute='identifier') -%}
        {%- set table = var('raw_schema') ~ '.' ~ source_node.identifier -%}
        {%- do run_query('drop table if exists ' ~ table) -%}
        {%- do run_query(
            'create table ' ~ table ~ ' using parquet'
            ~ " options (mergeSchema 'true')"
            ~ " location '" ~ raw_path ~ '/' ~ source_node.identifier ~ "'"
        ) -%}
    {%- endfor -%}
    {{ return('select 1 as raw_files_registered') }}
{%- endmacro %}
