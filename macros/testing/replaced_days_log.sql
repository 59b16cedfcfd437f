{#- The replaced-days log: for each model of strategy replace_days, the
    first day its latest incremental run replaced, and that run's
    invocation. get_incremental_replace_days_sql writes the row before its
    delete; rows_replaced_this_run reads it, so that the tests of such a
    model in the same invocation check the rows the run wrote, not the whole
    history. One row per model (each run replaces its model's row). Created
    by on-run-start in the target schema (create_run_log); nothing on
    Spark, whose replace_days models are tables rebuilt each run. -#}
{% macro replaced_days_log() -%}
    {{ return(api.Relation.create(
        database=target.database, schema=target.schema, identifier='ia_replaced_days')) }}
{%- endmacro %}

{% macro replaced_days_log_name(relation) -%}
    {{ return(relation.schema ~ '.' ~ relation.identifier) }}
{%- endmacro %}

{#- Statements for the strategy: the model's row of the log becomes this
    run's first day (the same expression the delete uses, on the table
    before it). -#}
{% macro log_replaced_days(relation, first_day) -%}
    {%- set log = integration_adoption.replaced_days_log() -%}
    {%- set name = integration_adoption.replaced_days_log_name(relation) -%}
    delete from {{ log }} where relation_name = '{{ name }}';
    insert into {{ log }} (relation_name, invocation_id, first_day)
    select '{{ name }}', '{{ invocation_id }}', {{ first_day }};
{%- endmacro %}

{#- The first day the incremental run of `relation` replaced in this
    invocation, from the log: a scalar subquery, null when the model has not
    run incrementally in this invocation. -#}
{% macro replaced_first_day_this_run(relation) -%}
    (
        select max(first_day) from {{ integration_adoption.replaced_days_log() }}
        where
            relation_name = '{{ integration_adoption.replaced_days_log_name(relation) }}'
            and invocation_id = '{{ invocation_id }}'
    )
{%- endmacro %}
