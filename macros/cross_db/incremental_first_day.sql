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

{#- The same first day, read once when the model is compiled (as
    triage_scope_cutoff) and written into its SQL as a date literal: a filter
    on a constant reaches the scan of the tables under a view (DuckDB pushes
    it down), a scalar subquery does not. Null (nothing re-read) on an empty
    table, as the subquery. Not for a model whose unit tests give `this`. -#}
{% macro incremental_first_day_literal(day_column, extra_days=0) -%}
    {%- if not execute -%}
        {{ return(integration_adoption.incremental_first_day(day_column, extra_days)) }}
    {%- endif -%}
    {%- set first_day = run_query(
        'select ' ~ integration_adoption.incremental_first_day(day_column, extra_days)).columns[0][0] -%}
    {%- if first_day is none -%}
        {{ return('cast(null as date)') }}
    {%- endif -%}
    {{ return("cast('" ~ first_day.strftime('%Y-%m-%d') ~ "' as date)") }}
{%- endmacro %}
