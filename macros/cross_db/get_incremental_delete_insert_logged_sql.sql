{#- A custom incremental strategy (dbt finds it by name from
    `incremental_strategy: delete_insert_logged`; config from
    incremental_by_key_config with log_keys): dbt's delete+insert on the
    unique key, after the keys of the new rows are written to the
    replaced-keys log (log_replaced_keys), so that the tests of the same
    invocation can check the rows the run wrote (keys_replaced_this_run).
    With meta `replaced_from` (a column; incremental_by_key_config), only
    each key's rows from its first new row on are replaced: the key's stored
    rows whose column is at least the least value among its new rows are
    deleted, those before kept, and that least value is logged with the key
    (the tests check the key's rows from it on). -#}
{% macro get_incremental_delete_insert_logged_sql(arg_dict) -%}
    {%- set key = arg_dict['unique_key'] -%}
    {%- if key is not string -%}
        {{ exceptions.raise_compiler_error('incremental_strategy delete_insert_logged needs one unique_key column') }}
    {%- endif -%}
    {%- set replaced_from = config.get('meta', {}).get('replaced_from') -%}
    {%- if not replaced_from -%}
        {{ integration_adoption.log_replaced_keys(
            arg_dict['target_relation'],
            'select distinct ' ~ key ~ ' as replaced_key from ' ~ arg_dict['temp_relation']) }};
        {{ get_incremental_delete_insert_sql(arg_dict) }}
    {%- else -%}
        {%- set target = arg_dict['target_relation'] -%}
        {%- set log = integration_adoption.replaced_keys_log() -%}
        {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
        {{ integration_adoption.log_replaced_keys(
            target,
            'select ' ~ key ~ ' as replaced_key, min(' ~ replaced_from ~ ') as replaced_from from '
            ~ arg_dict['temp_relation'] ~ ' group by ' ~ key,
            with_from=true) }};
        delete from {{ target }} as stored
        where exists (
            select 1 from {{ log }} as replaced
            where
                replaced.relation_name = '{{ integration_adoption.replaced_days_log_name(target) }}'
                and replaced.invocation_id = '{{ invocation_id }}'
                and replaced.replaced_key = stored.{{ key }}
                and replaced.replaced_from <= stored.{{ replaced_from }}
        );
        insert into {{ target }} ({{ columns }})
        select {{ columns }} from {{ arg_dict['temp_relation'] }}
    {%- endif -%}
{%- endmacro %}
