{#- on-run-start: a log table outside the DAG for the tests of a day's run
    (replaced_days_log, replaced_keys_log), created with its schema if
    missing: relation_name, invocation_id and `columns` (a list of
    [name, type]). A column missing from a log an older version created is
    added. `log_relation` is the macro returning the log's relation, called
    only where there is a log. Nothing on Spark, whose incremental models
    are tables rebuilt each run. -#}
{% macro create_run_log(log_relation, columns) -%}
    {{ return(adapter.dispatch('create_run_log', 'integration_adoption')(log_relation, columns)) }}
{%- endmacro %}

{% macro default__create_run_log(log_relation, columns) -%}
    {%- set log = log_relation() -%}
    create schema if not exists {{ adapter.quote(log.schema) }};
    create table if not exists {{ log }} (
        relation_name {{ dbt.type_string() }},
        invocation_id {{ dbt.type_string() }}
        {%- for name, type in columns %},
        {{ name }} {{ type }}
        {%- endfor %}
    )
    {%- for name, type in columns %};
    alter table {{ log }} add column if not exists {{ name }} {{ type }}
    {%- endfor %}
{%- endmacro %}

{% macro spark__create_run_log(log_relation, columns) -%}
    select 1 as no_run_log_on_spark
{%- endmacro %}
