{#- The config of an incremental model whose rows from a day on are
    re-derived each run: strategy replace_days (get_incremental_replace_days_sql)
    on `day_column`, from incremental_first_day(day_column, extra_days).
    The model selects exactly the rows from that same day. `holds_until`
    (optional): (key, until-column) of rows that hold until the next row of
    their key; the strategy then re-points the last row each key keeps.
    `first_day_column` (optional): the column whose newest stored day, minus
    the lookback and extra_days, is the first day (default `day_column`),
    for rows whose own day may lie past the newest input day.
    `rewritten_columns` (optional): columns a hook of the model rewrites on
    rows before the first day, so their tests read every row
    (rows_replaced_this_run).
    Spark's Parquet tables have no delete, so there the model is a table
    rebuilt each run; both equal a full refresh. -#}
{% macro incremental_replace_days_config(
    day_column, extra_days=0, holds_until=none, first_day_column=none, rewritten_columns=[]
) -%}
    {{ return(adapter.dispatch('incremental_replace_days_config', 'integration_adoption')(
        day_column, extra_days, holds_until, first_day_column, rewritten_columns)) }}
{%- endmacro %}

{% macro default__incremental_replace_days_config(
    day_column, extra_days, holds_until, first_day_column, rewritten_columns
) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'replace_days',
        'on_schema_change': 'fail',
        'meta': {'replace_days': {
            'column': day_column,
            'extra_days': extra_days,
            'first_day_column': first_day_column or day_column,
            'holds_until': {'key': holds_until[0], 'column': holds_until[1]} if holds_until else none,
            'rewritten_columns': rewritten_columns + ([holds_until[1]] if holds_until else []),
        }},
    }) }}
{%- endmacro %}

{% macro spark__incremental_replace_days_config(
    day_column, extra_days, holds_until, first_day_column, rewritten_columns
) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}
