{#- A custom incremental strategy (dbt finds it by name from
    `incremental_strategy: replace_from`; config from
    incremental_by_key_config with from_column): for each key of the new
    rows, it deletes the stored rows of that key from the key's first new
    value of the from column on, and inserts the new rows, in the model's
    one transaction. The model selects, for each key it rewrites, every row
    from a row start on (earlier rows stand as stored), so a run writes
    what changed, not the key's whole history. The keys' first values come
    from the new rows grouped by key: no correlated subquery, which
    PostgreSQL would run once per row. With meta.replace_from.log, the keys
    are written to the replaced-keys log first (log_replaced_keys), for the
    tests of the same invocation (replaced_from_this_run), each with
    the first day whose rows the run can have changed: with
    meta.replace_from.until_column, for a key with stored rows, the newest
    stored day of that column minus the lookback (incremental_first_day:
    the model's own changed-from date, before which no row's days change),
    else (and for a new key) its first new value of the from column. -#}
{% macro get_incremental_replace_from_sql(arg_dict) -%}
    {%- set replace = config.get('meta', {}).get('replace_from') -%}
    {%- if not replace or arg_dict['unique_key'] is not string -%}
        {{ exceptions.raise_compiler_error(
            'incremental_strategy replace_from needs one unique_key column and meta.replace_from'
            ~ ' (macro incremental_by_key_config with from_column)') }}
    {%- endif -%}
    {%- set key, column = arg_dict['unique_key'], replace['column'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set firsts -%}
        select {{ key }} as replaced_key, min({{ column }}) as first_day
        from {{ arg_dict['temp_relation'] }}
        group by {{ key }}
    {%- endset -%}
    {%- if replace['log'] %}
        {%- set changed_firsts -%}
            select
                firsts.replaced_key,
                case
                    when stored_keys.replaced_key is not null
                        then {{ integration_adoption.incremental_first_day(replace['until_column']) }}
                    else firsts.first_day
                end as first_day
            from ({{ firsts }}) as firsts
            left join (
                select distinct {{ key }} as replaced_key from {{ arg_dict['target_relation'] }}
            ) as stored_keys
                on firsts.replaced_key = stored_keys.replaced_key
        {%- endset %}
        {{ integration_adoption.log_replaced_keys(
            arg_dict['target_relation'],
            changed_firsts if replace.get('until_column') else firsts,
            with_first_day=true) }};
    {%- endif %}
    delete from {{ arg_dict['target_relation'] }} as stored
    using ({{ firsts }}) as firsts
    where
        stored.{{ key }} = firsts.replaced_key
        and stored.{{ column }} >= firsts.first_day;
    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
