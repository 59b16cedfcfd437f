{#-
    The raw rows of a triaged `model` quarantined as unknown_event_name
    (metric-definitions §2): a (source_system, source event name) with no row
    in seeds/event_name_map.csv. One row per such name with its raw rows
    (copies included); set `fail_calc: coalesce(sum(raw_rows), 0)` so the build output
    counts rows, and severity warn: they are kept, and come back on the next
    build once the mapping exists. In dbt build and dbt test the names are
    also printed, so they are visible in the build output, not only in
    fct_data_quality_checks.
-#}
{% test no_unknown_event_names(model) %}
{%- set names_sql -%}
    select
        source_system,
        source_event_name,
        sum(1 + collapsed_duplicate_count) as raw_rows
    from {{ model }}
    where rejection_reason = 'unknown_event_name'
    group by source_system, source_event_name
{%- endset -%}
{%- if execute and flags.WHICH in ['build', 'test', 'retry'] -%}
    {%- set names = run_query(names_sql ~ ' order by raw_rows desc, source_system, source_event_name') -%}
    {%- if names.rows | length > 0 -%}
        {%- set listed = [] -%}
        {%- for row in names.rows[:10] -%}
            {%- do listed.append((row[0] or 'null') ~ ' / ' ~ (row[1] or 'null') ~ ' (' ~ row[2] ~ ')') -%}
        {%- endfor -%}
        {{ print(
            'unknown_event_name in ' ~ model ~ ': ' ~ names.rows | length ~ ' source event name(s) with no row in'
            ~ ' seeds/event_name_map.csv, their raw rows quarantined: ' ~ listed | join(', ')
            ~ (', …' if names.rows | length > 10 else '')
            ~ '. Map them (or leave them out on purpose); the rows come back on the next build.'
        ) }}
    {%- endif -%}
{%- endif -%}

select * from ({{ names_sql }}) as unknown_names

{% endtest %}
