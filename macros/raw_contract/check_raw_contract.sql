{#- on-run-start: before any model reads raw data, the raw tables are checked
    against the raw contract (the columns and data_types of every enabled
    source's YAML). A missing raw folder (or schema), a table without data, a
    missing column or a column of another type stops the build with one
    message naming the file (or table) and the column. Runs only for dbt
    build and dbt run when a selected model reads a source. On DuckDB with
    raw_from_files, every Parquet file is checked on its own (the sources
    read them with union_by_name, which would fill a column missing from one
    file with nulls); elsewhere, the tables of raw_schema. -#}
{% macro check_raw_contract() -%}
    {%- if not execute or flags.WHICH not in ['build', 'run'] -%}
        {{ return('') }}
    {%- endif -%}
    {%- set selected = namespace(reads_raw=false) -%}
    {%- for unique_id in selected_resources -%}
        {%- set node = graph.nodes.get(unique_id) -%}
        {%- if node and node.resource_type == 'model' -%}
            {%- for parent in node.depends_on.nodes if parent.startswith('source.') -%}
                {%- set selected.reads_raw = true -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not selected.reads_raw -%}
        {{ return('') }}
    {%- endif -%}

    {%- set tables = graph.sources.values() | sort(attribute='unique_id') | list -%}
    {%- if target.type == 'duckdb' and var('raw_from_files') -%}
        {%- set found = integration_adoption.raw_parquet_columns(tables) -%}
    {%- else -%}
        {%- set found = integration_adoption.raw_relation_columns(tables) -%}
    {%- endif -%}

    {%- if found.missing | length == tables | length -%}
        {{ exceptions.raise_compiler_error(found.nothing_found) }}
    {%- endif -%}
    {%- set problems = [] -%}
    {%- for table in found.missing -%}
        {%- set switch = table.source_meta.get('enabled_by_var') -%}
        {%- do problems.append(found.absent[table.unique_id]
            ~ (' (the source ' ~ table.source_name ~ ' is optional: --vars \'{' ~ switch
               ~ ': false}\' leaves it out)' if switch else '')) -%}
    {%- endfor -%}
    {%- for table, label, columns in found.columns -%}
        {%- for column in table.columns.values() -%}
            {%- set actual = columns.get(column.name | lower) -%}
            {%- if actual is none -%}
                {%- do problems.append(label ~ ' has no column ' ~ column.name ~ ' (' ~ column.data_type ~ ')') -%}
            {%- elif not integration_adoption.raw_type_matches(actual, column.data_type) -%}
                {%- do problems.append(label ~ ': ' ~ column.name ~ ' is ' ~ actual ~ ', the contract says '
                    ~ column.data_type) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if problems -%}
        {%- set shown = 10 -%}
        {{ exceptions.raise_compiler_error(
            'The raw data does not match the raw contract (the columns of the sources\' YAML, '
            ~ 'models/staging/*/_*__sources.yml): ' ~ problems[:shown] | join('; ')
            ~ ('; and ' ~ (problems | length - shown) ~ ' more' if problems | length > shown else '')
            ~ '. Fix the files or the loader, then build again.'
        ) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
