{#- The replaced-keys log: for each triage model (incremental on
    triage_key), the keys its latest incremental run re-sorted, and that
    run's invocation. The model's pre-hook (log_triage_scope) writes them,
    and a row with no key that says the run was incremental; the model then
    reads its scope from here, and unique_keys_replaced_this_run lets the
    uniqueness tests on the event models in the same invocation check those
    keys, not the whole history. A model of strategy replace_from with
    log_keys (the state spells) logs the keys its run rewrote and, in
    first_day, the first day the run can have changed for each
    (get_incremental_replace_from_sql, replaced_from_this_run). Created by on-run-start in the target
    schema (create_run_log); nothing on Spark, whose triage models are
    tables rebuilt each run. -#}
{% macro replaced_keys_log() -%}
    {{ return(api.Relation.create(
        database=target.database, schema=target.schema, identifier='ia_replaced_keys')) }}
{%- endmacro %}

{#- Statements: `relation`'s rows of the replaced-keys log become this
    invocation's, a row without a key that says the run was incremental and
    the keys `keys_select` returns (a select of replaced_key, and with
    `with_first_day` of first_day: the key's first day the run can have
    changed, strategy replace_from). -#}
{% macro log_replaced_keys(relation, keys_select, with_first_day=false) -%}
    {%- set log = integration_adoption.replaced_keys_log() -%}
    {%- set name = integration_adoption.replaced_days_log_name(relation) -%}
    {%- set columns = 'replaced_key, first_day' if with_first_day else 'replaced_key' -%}
    delete from {{ log }} where relation_name = '{{ name }}';
    insert into {{ log }} (relation_name, invocation_id, replaced_key)
    select '{{ name }}', '{{ invocation_id }}', cast(null as {{ dbt.type_string() }});
    insert into {{ log }} (relation_name, invocation_id, {{ columns }})
    select '{{ name }}', '{{ invocation_id }}', {{ columns }}
    from ({{ keys_select }}) as replaced_keys
{%- endmacro %}

{#- The keys `relation`'s run in this invocation logged, as a select of
    replaced_key (for `in (...)`). -#}
{% macro replaced_keys_this_run(relation_names) -%}
    select replaced_key
    from {{ integration_adoption.replaced_keys_log() }}
    where
        invocation_id = '{{ invocation_id }}'
        and relation_name in ('{{ relation_names | join("', '") }}')
        and replaced_key is not null
{%- endmacro %}

{#- For the generic test being compiled, when it is a `unique` test of a
    model whose meta names `replaced_keys` ({column: the column holding the
    triage key, unique_columns: other columns whose uniqueness test is
    scoped too}), on one of those columns, and every incremental model it is built from (itself
    included) is a triage model (meta replaced_keys with column
    triage_key) whose incremental run in this invocation logged its keys: a
    predicate keeping the rows whose tested value also occurs on a row of a
    logged key, else ''. A duplicate with a row those runs wrote then has
    both its rows kept; two rows of keys no run touched were checked by the
    runs that wrote them. A full refresh, a run without the triage models
    (dbt test) and the var test_every_row check every row. -#}
{% macro unique_keys_replaced_this_run(relation) -%}
    {%- if not execute or var('test_every_row') or target.type == 'spark' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set tested = graph.nodes.get(model.get('attached_node') or '') -%}
    {%- set test = model.get('test_metadata') or {} -%}
    {%- set keys = (tested.config.get('meta') or {}).get('replaced_keys') if tested else none -%}
    {%- set column = model.get('column_name') -%}
    {%- if not keys or test.get('name') != 'unique'
            or column not in [keys['column']] + keys.get('unique_columns', []) -%}
        {{ return('') }}
    {%- endif -%}
    {#- the model and every model it is built from -#}
    {%- set lineage = [tested.unique_id] -%}
    {%- for _ in range(30) -%}
        {%- for node_id in lineage -%}
            {%- for parent in graph.nodes[node_id].depends_on.nodes
                    if parent in graph.nodes and parent not in lineage -%}
                {%- do lineage.append(parent) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set names = [] -%}
    {%- for node_id in lineage if graph.nodes[node_id].resource_type == 'model' -%}
        {%- set node = graph.nodes[node_id] -%}
        {%- set is_triage = ((node.config.get('meta') or {}).get('replaced_keys') or {}).get('column') == 'triage_key' -%}
        {%- if is_triage -%}
            {%- do names.append(integration_adoption.replaced_days_log_name(
                api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias))) -%}
        {%- elif node.config.materialized == 'incremental' -%}
            {#- rows another incremental model wrote are in no log -#}
            {{ return('') }}
        {%- endif -%}
    {%- endfor -%}
    {%- set log = integration_adoption.replaced_keys_log() -%}
    {%- if not names or adapter.get_relation(log.database, log.schema, log.identifier) is none -%}
        {#- nothing logged, or compiled without on-run-start (dbt docs generate) -#}
        {{ return('') }}
    {%- endif -%}
    {%- set logged_query -%}
        select count(distinct relation_name) from {{ log }}
        where
            invocation_id = '{{ invocation_id }}'
            and relation_name in ('{{ names | join("', '") }}')
            and replaced_key is null
    {%- endset -%}
    {%- if run_query(logged_query).columns[0][0] != names | length -%}
        {{ return('') }}
    {%- endif -%}
    {%- if column == keys['column'] -%}
        {{ return(column ~ ' in (' ~ integration_adoption.replaced_keys_this_run(names) ~ ')') }}
    {%- endif -%}
    {%- set predicate -%}
        {{ column }} in (
            select {{ column }} from {{ relation }}
            where {{ keys['column'] }} in ({{ integration_adoption.replaced_keys_this_run(names) }})
        )
    {%- endset -%}
    {{ return(predicate) }}
{%- endmacro %}
