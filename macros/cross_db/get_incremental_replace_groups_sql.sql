{#- A custom incremental strategy (dbt finds it by name from
    `incremental_strategy: replace_groups`; config from
    incremental_by_group_config), in the model's one transaction:
    - a source of groups (no meta.replace_groups.follows) selected every
      row: the groups with a row new, gone or changed (new and stored rows
      paired on meta.replace_groups.unique_key, every other column
      compared with `is distinct from`) are read here
      (run_query, on the new rows the materialization has just stored),
      then deleted and inserted from the new rows, and versioned by this
      invocation (a gone group loses its version). When every group
      changed (a new as-of month moves every T0), and for a source stored
      before the versions, every row is rewritten and the post-hook
      (record_group_versions) versions every group;
    - a follower selected the groups groups_to_rebuild returns (the same
      list here, read before the post-hook moves the versions on): those
      are deleted, or every stored row when it has no version yet, and the
      new rows inserted.
    The groups are written into the statements as values of their columns,
    so a run that changes none scans no stored row. -#}
{% macro get_incremental_replace_groups_sql(arg_dict) -%}
    {%- set replace = config.get('meta', {}).get('replace_groups') -%}
    {%- if not replace -%}
        {{ exceptions.raise_compiler_error(
            'incremental_strategy replace_groups needs meta.replace_groups (macro incremental_by_group_config)') }}
    {%- endif -%}
    {%- set target, temp = arg_dict['target_relation'], arg_dict['temp_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- if replace['follows'] -%}
        {%- set groups = integration_adoption.groups_to_rebuild(replace['follows'], target) -%}
    {%- elif not integration_adoption.has_group_versions(target) -%}
        {#- stored before the versions: every group rewritten, and versioned by the post-hook -#}
        {%- set groups = none -%}
    {%- else -%}
        {#- new and stored rows paired on the unique key (a join on three columns
            costs half of `except` both ways over every column) -#}
        {%- set key = replace['unique_key'] -%}
        {%- set others = arg_dict['dest_columns'] | map(attribute='name') | reject('in', key) | list -%}
        {%- set group = [] -%}
        {%- for column in replace['columns'] -%}
            {%- do group.append('coalesce(new_rows.' ~ column ~ ', stored.' ~ column ~ ')') -%}
        {%- endfor -%}
        {%- set changed -%}
            select distinct {{ integration_adoption.group_key(group) }} as group_key
            from {{ temp }} as new_rows
            full outer join {{ target }} as stored
                on
                    {%- for column in key %}
                    {{ 'and ' if not loop.first }}new_rows.{{ column }} = stored.{{ column }}
                    {%- endfor %}
            where
                new_rows.{{ key[0] }} is null
                or stored.{{ key[0] }} is null
                {%- for column in others %}
                or new_rows.{{ column }} is distinct from stored.{{ column }}
                {%- endfor %}
        {%- endset -%}
        {%- set groups = run_query(changed).columns[0].values() | list -%}
        {%- set every_group -%}
            select count(*) from (
                select {{ integration_adoption.group_key(replace['columns']) }} from {{ temp }}
                union
                select {{ integration_adoption.group_key(replace['columns']) }} from {{ target }}
            ) as all_groups
        {%- endset -%}
        {%- if groups and groups | length == run_query(every_group).columns[0].values()[0] -%}
            {#- every group changed (a new as-of month moves every T0): every row, no list -#}
            {%- set groups = none -%}
        {%- endif -%}
    {%- endif -%}
    {%- set in_groups = integration_adoption.in_groups(replace['columns'], groups) -%}
    {%- if groups is none or groups %}
    delete from {{ target }} where {{ in_groups }};
    {%- endif %}
    {%- if groups is none and not replace['follows'] %}
    delete from {{ integration_adoption.group_versions_log() }}
    where relation_name = '{{ integration_adoption.replaced_days_log_name(target) }}';
    {%- elif groups and not replace['follows'] %}
        {%- set log, name = integration_adoption.group_versions_log(), integration_adoption.replaced_days_log_name(target) %}
    delete from {{ log }}
    where relation_name = '{{ name }}' and group_key in ({{ integration_adoption.quoted_texts(groups) }});
    insert into {{ log }} (relation_name, invocation_id, group_key)
    select distinct '{{ name }}', '{{ invocation_id }}', {{ integration_adoption.group_key(replace['columns']) }}
    from {{ temp }}
    where {{ in_groups }};
    {%- endif %}
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ temp }}
    {%- if not replace['follows'] %}
    where {{ in_groups }}
    {%- endif %}
{%- endmacro %}
