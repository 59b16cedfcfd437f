{#- The group versions of the models of strategy replace_groups
    (incremental_by_group_config): for a source of groups, one row per group
    it stores (group_key) with the invocation that last wrote it; for a
    follower, one row per group with the source's version it was computed
    from, followed by its basis (group_versions_basis). Created by
    on-run-start in the target schema (create_run_log); nothing on Spark,
    whose models of that strategy are tables rebuilt each run. -#}
{% macro group_versions_log() -%}
    {{ return(api.Relation.create(
        database=target.database, schema=target.schema, identifier='ia_group_versions')) }}
{%- endmacro %}

{#- One text naming a group: its columns cast to text, joined by '|' (the
    columns are never null; only the first may hold a '|'). -#}
{% macro group_key(columns) -%}
    {%- for column in columns -%}
        cast({{ column }} as {{ dbt.type_string() }}){{ " || '|' || " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- Whether the log exists (not when compiled without on-run-start: dbt
    docs generate). -#}
{% macro group_versions_log_exists() -%}
    {%- set log = integration_adoption.group_versions_log() -%}
    {{ return(adapter.get_relation(log.database, log.schema, log.identifier) is not none) }}
{%- endmacro %}

{#- Texts as a list of SQL literals. -#}
{% macro quoted_texts(texts) -%}
    {%- for text in texts -%}
        '{{ text | replace("'", "''") }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- A predicate keeping the rows of the groups named by `keys` (group_key
    texts), each as its columns' values ('true' for none: every row; 'false'
    for an empty list), optionally on the columns of `relation_alias`. The
    values are literals the engine casts to the columns' types (a date from
    its ISO text), so a scan can skip what no group holds. -#}
{% macro in_groups(columns, keys, relation_alias='') -%}
    {%- if keys is none -%}
        {{ return('true') }}
    {%- elif not keys -%}
        {{ return('false') }}
    {%- endif -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    {%- set groups = [] -%}
    {%- for key in keys -%}
        {%- set values = key.rsplit('|', columns | length - 1) -%}
        {%- set equalities = [] -%}
        {%- for column in columns -%}
            {%- do equalities.append(prefix ~ column ~ ' = ' ~ integration_adoption.quoted_texts([values[loop.index0]])) -%}
        {%- endfor -%}
        {%- do groups.append('(' ~ equalities | join(' and ') ~ ')') -%}
    {%- endfor -%}
    {{ return('(' ~ groups | join(' or ') ~ ')') }}
{%- endmacro %}

{#- What a follower's rows depend on besides its source's rows, as one text:
    meta.replace_groups.basis (the vars it reads, rendered) and the
    checksum of every seed it reads. It is recorded with each version, so a
    changed var or seed makes every group differ and be computed again. -#}
{% macro group_versions_basis() -%}
    {%- set parts = [config.get('meta', {}).get('replace_groups', {}).get('basis') or ''] -%}
    {%- for node_id in model.depends_on.nodes if node_id.startswith('seed.') -%}
        {%- do parts.append(node_id ~ '=' ~ graph.nodes[node_id].checksum.checksum) -%}
    {%- endfor -%}
    {{ return(local_md5(parts | join(';'))) }}
{%- endmacro %}

{#- The groups `follower` must compute again (run now, a list of group_key
    texts): those whose version of the source model named `source`, with
    the follower's basis, differs from the one the follower recorded (new
    or gone on either side too); none (every group) when every group moved,
    when the follower has no version yet (its first incremental run on a
    warehouse built before them) or when there is no log. -#}
{% macro groups_to_rebuild(source, follower) -%}
    {%- if not integration_adoption.group_versions_log_exists() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set log = integration_adoption.group_versions_log() -%}
    {%- set follower_name = integration_adoption.replaced_days_log_name(follower) -%}
    {%- set source_name = integration_adoption.replaced_days_log_name(ref(source)) -%}
    {%- set versions -%}
        select
            coalesce(sources.group_key, followers.group_key) as group_key,
            (select count(*) from {{ log }} where relation_name = '{{ follower_name }}') as recorded,
            (
                select count(distinct group_key) from {{ log }}
                where relation_name in ('{{ source_name }}', '{{ follower_name }}')
            ) as every_group
        from (
            select group_key, invocation_id || ' {{ integration_adoption.group_versions_basis() }}' as invocation_id
            from {{ log }}
            where relation_name = '{{ source_name }}'
        ) as sources
        full outer join (
            select group_key, invocation_id from {{ log }} where relation_name = '{{ follower_name }}'
        ) as followers
            on sources.group_key = followers.group_key
        where sources.invocation_id is distinct from followers.invocation_id
    {%- endset -%}
    {%- set found = run_query(versions) -%}
    {%- if found.rows | length > 0 and (found.columns[1].values()[0] == 0
            or found.rows | length == found.columns[2].values()[0]) -%}
        {#- no version yet, or every group moved: every row, no list -#}
        {{ return(none) }}
    {%- endif -%}
    {{ return(found.columns[0].values() | list) }}
{%- endmacro %}

{#- Whether the model stored as `relation` has group versions (run now). -#}
{% macro has_group_versions(relation) -%}
    {%- if not integration_adoption.group_versions_log_exists() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set counted -%}
        select count(*) from {{ integration_adoption.group_versions_log() }}
        where relation_name = '{{ integration_adoption.replaced_days_log_name(relation) }}'
    {%- endset -%}
    {{ return(run_query(counted).columns[0].values()[0] > 0) }}
{%- endmacro %}

{#- For the select of a follower (incremental_by_group_config with
    follows): a predicate keeping the rows of `relation_alias` in the
    groups to compute again on an incremental run (groups_to_rebuild), else
    'true'. -#}
{% macro in_groups_to_rebuild(relation_alias='') -%}
    {%- set replace = (config.get('meta') or {}).get('replace_groups') -%}
    {%- if not execute or not replace or not is_incremental() -%}
        {{ return('true') }}
    {%- endif -%}
    {{ return(integration_adoption.in_groups(
        replace['columns'], integration_adoption.groups_to_rebuild(replace['follows'], this), relation_alias)) }}
{%- endmacro %}

{#- Post-hook of every model of strategy replace_groups, full refresh or
    incremental: after a full refresh, or when it has none (its first
    build, or a run on a warehouse stored before them), a source's stored
    groups all take this invocation's version (an incremental run's
    strategy versions the groups it wrote); a follower records the
    source's versions it now holds, each with its basis
    (group_versions_basis). Not on Spark (no such model there). -#}
{% macro record_group_versions() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set replace = config.get('meta', {}).get('replace_groups') -%}
    {%- set log = integration_adoption.group_versions_log() -%}
    {%- set name = integration_adoption.replaced_days_log_name(this) -%}
    {%- if replace['follows'] -%}
    delete from {{ log }} where relation_name = '{{ name }}';
    insert into {{ log }} (relation_name, invocation_id, group_key)
    select '{{ name }}', invocation_id || ' {{ integration_adoption.group_versions_basis() }}', group_key
    from {{ log }}
    where relation_name = '{{ integration_adoption.replaced_days_log_name(ref(replace['follows'])) }}'
    {%- elif should_full_refresh() or not integration_adoption.has_group_versions(this) -%}
    delete from {{ log }} where relation_name = '{{ name }}';
    insert into {{ log }} (relation_name, invocation_id, group_key)
    select distinct '{{ name }}', '{{ invocation_id }}', {{ integration_adoption.group_key(replace['columns']) }}
    from {{ this }}
    {%- else -%}
    select 1 as versioned_by_the_strategy
    {%- endif -%}
{%- endmacro %}
