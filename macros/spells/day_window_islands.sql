{#- The islands of a set of signal days: a day d covers the `window_days`
    days [d, d + W − 1], and overlapping or touching windows merge into one
    island [first day, last day + W − 1]. `days` names a relation or CTE with
    the `partition_by` columns, `date_column` and `window_days` (W, a column
    or a number); the result has the partition columns, island_start_date
    and island_end_date. Used by int_connection_state_spells (work and
    failure islands, metric-definitions §3); the cost grows with the days,
    never with days × W. -#}
{% macro day_window_islands(days, partition_by, date_column, window_days) -%}
    {%- set partition = partition_by | join(', ') -%}
    select
        {{ partition }},
        min({{ date_column }}) as island_start_date,
        {{ integration_adoption.add_days('min(' ~ window_days ~ ') - 1', 'max(' ~ date_column ~ ')') }}
            as island_end_date
    from (
        select
            *,
            sum(
                case
                    -- a new island when the previous window [prev, prev + W − 1] does not reach this day
                    when previous_date is null then 1
                    when {{ dbt.datediff('previous_date', date_column, 'day') }} > {{ window_days }} then 1
                    else 0
                end
            ) over (
                partition by {{ partition }}
                order by {{ date_column }}
                rows between unbounded preceding and current row
            ) as island_number
        from (
            select
                *,
                lag({{ date_column }}) over (partition by {{ partition }} order by {{ date_column }})
                    as previous_date
            from {{ days }}
        ) as with_previous
    ) as numbered
    group by {{ partition }}, island_number
{%- endmacro %}
