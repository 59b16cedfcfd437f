{#- Merges consecutive rows with the same value into runs (gaps and
    islands): `relation` holds the `partition_by` columns, `value_column`
    and the intervals [start_column, end_column], which tile each
    partition's days; the result has the partition columns, run_number (1,
    2, … in date order), the value, valid_from (the first row's start) and
    valid_to (the last row's end). Used by int_connection_state_spells to
    merge segments of one state into spells. -#}
{% macro runs_of_equal_values(relation, partition_by, value_column, start_column, end_column) -%}
    {%- set partition = partition_by | join(', ') -%}
    select
        {{ partition }},
        run_number,
        min({{ value_column }}) as {{ value_column }},
        min({{ start_column }}) as valid_from,
        max({{ end_column }}) as valid_to
    from (
        select
            *,
            sum(is_change) over (
                partition by {{ partition }}
                order by {{ start_column }}
                rows between unbounded preceding and current row
            ) as run_number
        from (
            select
                *,
                case
                    when lag({{ value_column }}) over (
                        partition by {{ partition }} order by {{ start_column }}
                    ) = {{ value_column }} then 0
                    else 1
                end as is_change
            from {{ relation }}
        ) as changes
    ) as numbered
    group by {{ partition }}, run_number
{%- endmacro %}
