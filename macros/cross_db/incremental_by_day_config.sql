{#- The config of an incremental model that re-reads whole days (a
    lookback window) and replaces them: delete+insert on its unique key by
    default; on Spark (no delete without Delta/Iceberg) insert_overwrite of
    Parquet partitioned by the day column, which replaces exactly the days
    re-read. Either way the table equals a full refresh. -#}
{% macro incremental_by_day_config(day_column) -%}
    {{ return(adapter.dispatch('incremental_by_day_config', 'integration_adoption')(day_column)) }}
{%- endmacro %}

{% macro default__incremental_by_day_config(day_column) -%}
    {{ return({'incremental_strategy': 'delete+insert'}) }}
{%- endmacro %}

{% macro spark__incremental_by_day_config(day_column) -%}
    {{ return({
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [day_column],
        'file_format': 'parquet',
    }) }}
{%- endmacro %}
