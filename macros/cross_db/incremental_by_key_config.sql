{#- The config of an incremental model that re-derives whole keys (every row
    of each key in scope is rewritten): incremental delete+insert on the
    unique key by default; with `log_keys`, the same with the run's keys
    logged for its tests (strategy delete_insert_logged); with
    `replaced_from` (a column; implies log_keys), each key's rows are
    rewritten from its first new row on, those before kept. Spark's Parquet
    tables have no delete (no merge without Delta or Iceberg) and a key is no
    partition, so there the model is a table, rebuilt in full on every run;
    both equal a full refresh. -#}
{% macro incremental_by_key_config(unique_key, log_keys=false, replaced_from=none) -%}
    {{ return(adapter.dispatch('incremental_by_key_config', 'integration_adoption')(
        unique_key, log_keys, replaced_from)) }}
{%- endmacro %}

{% macro default__incremental_by_key_config(unique_key, log_keys, replaced_from) -%}
    {%- set config = {
        'materialized': 'incremental',
        'incremental_strategy': 'delete_insert_logged' if log_keys or replaced_from else 'delete+insert',
        'unique_key': unique_key,
        'on_schema_change': 'fail',
    } -%}
    {%- if replaced_from -%}
        {%- do config.update({'meta': {'replaced_from': replaced_from}}) -%}
    {%- endif -%}
    {{ return(config) }}
{%- endmacro %}

{% macro spark__incremental_by_key_config(unique_key, log_keys, replaced_from) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}
