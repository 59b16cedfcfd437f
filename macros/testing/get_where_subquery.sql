{#- dbt's wrapper of the model a generic test reads (dispatched from dbt's
    get_where_subquery; dispatch search order in dbt_project.yml): the
    test's `where` config as in dbt, and with it rows_replaced_this_run and
    unique_keys_replaced_this_run (macros/testing/replaced_keys_log.sql), so
    the tests of a replace_days model right after its incremental run, and
    the uniqueness tests of the event models right after the triage runs,
    check the rows those runs wrote. -#}
{% macro default__get_where_subquery(relation) -%}
    {%- set predicates = [
        config.get('where', '') or '',
        integration_adoption.rows_replaced_this_run(relation),
        integration_adoption.unique_keys_replaced_this_run(relation),
    ] | reject('equalto', '') | list -%}
    {%- if not predicates -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set filtered -%}
        (select * from {{ relation }} where ({{ predicates | join(') and (') }})) dbt_subquery
    {%- endset -%}
    {{ return(filtered) }}
{%- endmacro %}

{#- A predicate on `relation`, or '' for every row: when this generic test
    (the node being compiled) belongs to a model of strategy replace_days
    whose incremental run in this invocation logged its first day
    (replaced_days_log), the rows from that day on. Only for tests whose
    verdict on the older rows cannot change, since the run left them as
    they were: tests of one row at a time (not_null, accepted_values,
    accepted_range; not on a column the run rewrites on older rows: a
    holds_until column, or one in rewritten_columns)
    and the grain test when the grain holds the day column (two rows of one
    day are both older or both replaced). A full refresh, a run without the
    model (dbt test) and the var test_every_row: every row. -#}
{% macro rows_replaced_this_run(relation) -%}
    {%- if not execute or var('test_every_row') -%}
        {{ return('') }}
    {%- endif -%}
    {%- set tested = graph.nodes.get(model.get('attached_node') or '') -%}
    {%- set replace = (tested.config.get('meta') or {}).get('replace_days') if tested else none -%}
    {%- if not replace or tested.config.materialized != 'incremental' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set test = model.get('test_metadata') or {} -%}
    {%- set one_row_at_a_time = test.get('name') in ['not_null', 'accepted_values', 'accepted_range']
        and model.get('column_name')
        and model.get('column_name') not in replace.get('rewritten_columns', []) -%}
    {%- set grain_by_day = test.get('name') == 'unique_combination_of_columns'
        and replace['column'] in test.get('kwargs', {}).get('combination_of_columns', []) -%}
    {%- if not (one_row_at_a_time or grain_by_day) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set predicate -%}
        {{ replace['column'] }} >= coalesce(
            {{ integration_adoption.replaced_first_day_this_run(relation) }}, cast('1900-01-01' as date))
    {%- endset -%}
    {{ return(predicate) }}
{%- endmacro %}
