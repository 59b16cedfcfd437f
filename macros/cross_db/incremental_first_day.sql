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
    triage_scope_cutoff) and written into its SQL as a date literal
    (compiled_scalar): a filter on a constant reaches the scan of the tables
    under a view (DuckDB pushes it down), a scalar subquery does not. Null
    (nothing re-read) on an empty table, as the subquery. In a unit test,
    which gives `this` as rows, the subquery. -#}
{% macro incremental_first_day_literal(day_column, extra_days=0) -%}
    {%- set first_day = integration_adoption.compiled_scalar(
        'select ' ~ integration_adoption.incremental_first_day(day_column, extra_days)) -%}
    {{ return('cast(' ~ first_day ~ ' as date)' if first_day == 'null' else first_day) }}
{%- endmacro %}
