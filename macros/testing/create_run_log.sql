{#- on-run-start: a log table outside the DAG for the tests of a day's run
    (replaced_days_log, replaced_keys_log), created with its schema if
    missing: relation_name, invocation_id and `column` of `type`. `log_relation` is
    the macro returning the log's relation, called only where there is a
    log. Nothing on Spark, whose incremental models are tables rebuilt each
    run. -#}
{% macro create_run_log(log_relation, column, type) -%}
    {{ return(adapter.dispatch('create_run_log', 'integration_adoption')(log_relation, column, type)) }}
{%- endmacro %}

{% macro default__create_run_log(log_relation, column, type) -%}
    {%- set log = log_relation() -%}
    create schema if not exists {{ adapter.quote(log.schema) }};
    create table if not exists {{ log }} (
        relation_name {{ dbt.type_string() }},
        invocation_id {{ dbt.type_string() }},
        {{ column }} {{ type }}
    )
{%- endmacro %}

{% macro spark__create_run_log(log_relation, column, type) -%}
    select 1 as no_run_log_on_spark
{%- endmacro %}
