{#- A custom incremental strategy (dbt finds it by name from
    `incremental_strategy: delete_insert_logged`; config from
    incremental_by_key_config with log_keys): dbt's delete+insert on the
    unique key, after the keys of the new rows are written to the
    replaced-keys log (log_replaced_keys), so that the tests of the same
    invocation can check the rows the run wrote (keys_replaced_this_run). -#}
{% macro get_incremental_delete_insert_logged_sql(arg_dict) -%}
    {%- if arg_dict['unique_key'] is not string -%}
        {{ exceptions.raise_compiler_error('incremental_strategy delete_insert_logged needs one unique_key column') }}
    {%- endif -%}
    {{ integration_adoption.log_replaced_keys(
        arg_dict['target_relation'],
        'select distinct ' ~ arg_dict['unique_key'] ~ ' as replaced_key from ' ~ arg_dict['temp_relation']) }};
    {{ get_incremental_delete_insert_sql(arg_dict) }}
{%- endmacro %}
