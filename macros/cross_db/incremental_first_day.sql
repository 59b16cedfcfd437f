{#- The first day an incremental run of a by-day model re-reads: the newest
    stored day minus `incremental_lookback_days` (and minus `extra_days`,
    for a model whose rows also depend on days before the lookback), as a
    scalar subquery on the model's own table. On Spark, whose
    insert_overwrite replaces whole month partitions
    (incremental_by_day_config), the 1st of that day's month, so every month
    replaced is re-read in full. -#}
{% macro incremental_first_day(day_column, extra_days=0) -%}
    {{ return(adapter.dispatch('incremental_first_day', 'integration_adoption')(day_column, extra_days)) }}
{%- endmacro %}

{% macro default__incremental_first_day(day_column, extra_days) -%}
    (
        select {{ integration_adoption.add_days(-(var('incremental_lookback_days') + extra_days), 'max(' ~ day_column ~ ')') }}
        from {{ this }}
    )
{%- endmacro %}

{% macro spark__incremental_first_day(day_column, extra_days) -%}
    (
        select trunc({{ integration_adoption.add_days(-(var('incremental_lookback_days') + extra_days), 'max(' ~ day_column ~ ')') }}, 'MM')
        from {{ this }}
    )
{%- endmacro %}
