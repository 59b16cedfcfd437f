{#- The config of an incremental model that re-derives whole keys (every row
    of each key in scope is rewritten): incremental delete+insert on the
    unique key by default. Spark's Parquet tables have no delete (no merge
    without Delta or Iceberg) and a key is no partition, so there the model is
    a table, rebuilt in full on every run; both equal a full refresh. -#}
{% macro incremental_by_key_config(unique_key) -%}
    {{ return(adapter.dispatch('incremental_by_key_config', 'integration_adoption')(unique_key)) }}
{%- endmacro %}

{% macro default__incremental_by_key_config(unique_key) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': unique_key,
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{% macro spark__incremental_by_key_config(unique_key) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}
