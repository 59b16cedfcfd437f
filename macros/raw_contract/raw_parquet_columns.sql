{#- For check_raw_contract, on DuckDB with raw_from_files: the columns and
    types of every Parquet file of each source table, as DuckDB reads them
    (top-level columns only: a STRUCT's fields are not columns). -#}
{% macro raw_parquet_columns(tables) -%}
    {%- set raw_path = integration_adoption.raw_data_path() -%}
    {%- set quoted_path = raw_path | replace("'", "''") -%}
    {%- set files_sql -%}
        {%- for table in tables %}
            select '{{ table.unique_id }}' as unique_id, file
            from glob('{{ quoted_path }}/{{ table.identifier }}/*.parquet')
            {%- if not loop.last %} union all{% endif %}
        {%- endfor %}
        order by unique_id, file
    {%- endset -%}
    {%- set files = run_query(files_sql).rows -%}
    {#- the demo's optional partner folder, present but switched off: said, not an error -#}
    {%- if not integration_adoption.partner_webhooks_enabled() -%}
        {%- set partner_sql -%}
            select count(*) from glob('{{ quoted_path }}/partner_webhook_deliveries/*.parquet')
        {%- endset -%}
        {%- if run_query(partner_sql).rows[0][0] > 0 -%}
            {%- do log('note: ' ~ raw_path ~ '/partner_webhook_deliveries/ is not read: the optional partner '
                ~ "source is off (--vars '{partner_webhooks_enabled: true}' or "
                ~ 'IA_PARTNER_WEBHOOKS_ENABLED=true reads it)', info=true) -%}
        {%- endif -%}
    {%- endif -%}

    {%- set absent = {} -%}
    {%- set missing = [] -%}
    {%- for table in tables -%}
        {%- do absent.update({table.unique_id: 'no Parquet file in ' ~ raw_path ~ '/' ~ table.identifier ~ '/'}) -%}
        {%- if files | selectattr('unique_id', 'equalto', table.unique_id) | list | length == 0 -%}
            {%- do missing.append(table) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set columns = [] -%}
    {%- if files | length > 0 -%}
        {%- set describe_sql -%}
            {%- for file in files %}
                select {{ loop.index }} as file_number, column_name, column_type
                from (describe select * from read_parquet('{{ file.file | replace("'", "''") }}'))
                {%- if not loop.last %} union all{% endif %}
            {%- endfor %}
        {%- endset -%}
        {#- one pass over the described rows (a scan per file costs files × columns in Jinja:
            12 s on 843 files) -#}
        {%- set types_by_file = {} -%}
        {%- for row in run_query(describe_sql).rows -%}
            {%- do types_by_file.setdefault(row.file_number, {}).update({row.column_name | lower: row.column_type}) -%}
        {%- endfor -%}
        {%- set tables_by_id = {} -%}
        {%- for table in tables -%}
            {%- do tables_by_id.update({table.unique_id: table}) -%}
        {%- endfor -%}
        {%- for file in files -%}
            {%- do columns.append((tables_by_id[file.unique_id], file.file, types_by_file.get(loop.index, {}))) -%}
        {%- endfor -%}
    {%- endif -%}

    {%- set folders = [] -%}
    {%- for table in tables -%}
        {%- do folders.append(table.identifier ~ '/') -%}
    {%- endfor -%}
    {%- set where = raw_path if raw_path.startswith('/') or '://' in raw_path
        else raw_path ~ ' (relative to the folder dbt runs in)' -%}
    {%- set nothing_found = 'No raw data in ' ~ where ~ ': none of ' ~ folders | join(', ')
        ~ ' holds Parquet files. Generate the demo data with `make demo-data` (or `.venv/bin/python -m '
        ~ 'integration_adoption.generator --out ' ~ raw_path ~ '`), or point IA_RAW_DATA_PATH (or '
        ~ "--vars '{raw_data_path: <folder>}') at your raw folder." -%}
    {{ return({'missing': missing, 'columns': columns, 'absent': absent, 'nothing_found': nothing_found}) }}
{%- endmacro %}
