{#- The config of an incremental model that re-derives whole keys (every row
    of each key in scope is rewritten): incremental delete+insert on the
    unique key by default; with `log_keys`, the same with the run's keys
    logged for its tests (strategy delete_insert_logged). Spark's Parquet
    tables have no delete (no merge without Delta or Iceberg) and a key is no
    partition, so there the model is a table, rebuilt in full on every run;
    both equal a full refresh. -#}
{% macro incremental_by_key_config(unique_key, log_keys=false) -%}
    {{ return(adapter.dispatch('incremental_by_key_config', 'integration_adoption')(unique_key, log_keys)) }}
{%- endmacro %}

{% macro default__incremental_by_key_config(unique_key, log_keys) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete_insert_logged' if log_keys else 'delete+insert',
        'unique_key': unique_key,
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{% macro spark__incremental_by_key_config(unique_key, log_keys) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}
