{#- A custom incremental strategy (dbt finds it by name from
    `incremental_strategy: replace_days`; config from
    incremental_replace_days_config). It deletes every stored row from the
    first day the run re-read on (incremental_first_day of the day column in
    meta.replace_days, or of its first_day_column, minus its extra_days) and
    inserts the new rows, in the
    model's one transaction. Unlike delete+insert on a unique key, a day or a
    key the new rows no longer hold keeps no stale row. The first day is
    computed here on the table before the delete, exactly as the model
    computed it when it selected the new rows.
    With meta.replace_days.holds_until (key, until-column: rows that hold
    until the next row of their key), each key's last row kept before that
    day is first pointed at the day before the key's first new row, or at
    null when the key has none. Only the rows whose until-column reaches
    that day, and the open ones of keys with new rows, are updated, from
    the new rows grouped by key: no correlated subquery, which PostgreSQL
    would run once per row. The first day is logged first
    (log_replaced_days), for the tests of the same invocation
    (rows_replaced_this_run). -#}
{% macro get_incremental_replace_days_sql(arg_dict) -%}
    {{ return(adapter.dispatch('replace_days_sql', 'integration_adoption')(arg_dict)) }}
{%- endmacro %}

{% macro default__replace_days_sql(arg_dict) -%}
    {%- set replace = config.get('meta', {}).get('replace_days') -%}
    {%- if not replace -%}
        {{ exceptions.raise_compiler_error(
            'incremental_strategy replace_days needs meta.replace_days (macro incremental_replace_days_config)') }}
    {%- endif -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set first_day = integration_adoption.incremental_first_day(
        replace.get('first_day_column') or replace['column'], replace['extra_days']) -%}
    {%- set holds = replace.get('holds_until') -%}
    {{ integration_adoption.log_replaced_days(arg_dict['target_relation'], first_day) }}
    {%- if holds %}
        {%- set key, until, day = holds['key'], holds['column'], replace['column'] %}
        {%- set reaches_first_day = 'kept.' ~ until ~ ' >= ' ~ integration_adoption.add_days(-1, first_day) %}
    update {{ arg_dict['target_relation'] }} as kept
    set {{ until }} = {{ integration_adoption.add_days(-1, 'firsts.first_new_day') }}
    from (
        select {{ key }}, min({{ day }}) as first_new_day
        from {{ arg_dict['temp_relation'] }}
        group by {{ key }}
    ) as firsts
    where
        kept.{{ key }} = firsts.{{ key }}
        and kept.{{ day }} < {{ first_day }}
        and (kept.{{ until }} is null or {{ reaches_first_day }});
    update {{ arg_dict['target_relation'] }} as kept
    set {{ until }} = null
    where
        kept.{{ day }} < {{ first_day }}
        and {{ reaches_first_day }}
        and not exists (
            select 1 from {{ arg_dict['temp_relation'] }} as replaced
            where replaced.{{ key }} = kept.{{ key }}
        );
    {%- endif %}
    delete from {{ arg_dict['target_relation'] }}
    where {{ replace['column'] }} >= {{ first_day }};
    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
