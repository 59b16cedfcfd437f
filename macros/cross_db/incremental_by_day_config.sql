{#- The config of an incremental model that re-reads whole days (a
    lookback window, from incremental_first_day) and replaces them: the
    replace_days strategy by default (every stored row from that day on is
    deleted, then the new rows inserted: a day the new rows no longer hold,
    say after a late uninstall, keeps no stale row); on Spark (no delete
    without Delta or Iceberg) insert_overwrite of Parquet partitioned by the
    month column, which replaces exactly the months re-read
    (incremental_first_day starts them on the 1st there). Months, not days:
    a partition per day makes Spark write and list hundreds of small
    folders. Either way the table equals a full refresh. -#}
{% macro incremental_by_day_config(day_column, month_column) -%}
    {{ return(adapter.dispatch('incremental_by_day_config', 'integration_adoption')(day_column, month_column)) }}
{%- endmacro %}

{% macro default__incremental_by_day_config(day_column, month_column) -%}
    {{ return({
        'incremental_strategy': 'replace_days',
        'meta': {'replace_days': {'column': day_column, 'extra_days': 0}},
    }) }}
{%- endmacro %}

{% macro spark__incremental_by_day_config(day_column, month_column) -%}
    {{ return({
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [month_column],
        'file_format': 'parquet',
    }) }}
{%- endmacro %}
