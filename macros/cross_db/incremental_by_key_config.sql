{#- The config of an incremental model that re-derives whole keys: every
    row of each key in scope (incremental delete+insert on the unique key),
    or with `from_column` every row of it from a first value of that column
    on (strategy replace_from: the stored rows of the key from the key's
    first new value on are replaced, the earlier ones stand). With
    `log_keys` (only with from_column) the run's keys are logged for its
    tests, each with its first new value, or with `until_column` the first
    day whose rows the run can have changed
    (get_incremental_replace_from_sql). Spark's Parquet tables have no
    delete (no merge without Delta or Iceberg) and a key is no partition,
    so there the model is a table, rebuilt in full on every run; both equal
    a full refresh. -#}
{% macro incremental_by_key_config(unique_key, from_column=none, log_keys=false, until_column=none) -%}
    {%- if log_keys and not from_column -%}
        {{ exceptions.raise_compiler_error('incremental_by_key_config: log_keys needs from_column') }}
    {%- endif -%}
    {{ return(adapter.dispatch('incremental_by_key_config', 'integration_adoption')(
        unique_key, from_column, log_keys, until_column)) }}
{%- endmacro %}

{% macro default__incremental_by_key_config(unique_key, from_column, log_keys, until_column) -%}
    {%- if not from_column -%}
        {{ return({
            'materialized': 'incremental',
            'incremental_strategy': 'delete+insert',
            'unique_key': unique_key,
            'on_schema_change': 'fail',
        }) }}
    {%- endif -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'replace_from',
        'unique_key': unique_key,
        'on_schema_change': 'fail',
        'meta': {'replace_from': {'column': from_column, 'log': log_keys, 'until_column': until_column}},
    }) }}
{%- endmacro %}

{% macro spark__incremental_by_key_config(unique_key, from_column, log_keys, until_column) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}
