{#- For a singular test of `relation`'s rows: a predicate on `column`
    keeping the keys `relation`'s incremental run in this invocation logged
    in the replaced-keys log (the keys it rewrote), or 'true' for every row.
    Every row on a full build (no log row of the run), in a run without the
    model (dbt test), with the var test_every_row, and on Spark (no log).
    Rows no run of this invocation touched were checked by the runs that
    wrote them. -#}
{% macro keys_replaced_this_run(relation, column) -%}
    {%- if not integration_adoption.logged_this_run(relation) -%}
        {{ return('true') }}
    {%- endif -%}
    {{ return(column ~ ' in (' ~ integration_adoption.replaced_keys_this_run(
        [integration_adoption.replaced_days_log_name(relation)]) ~ ')') }}
{%- endmacro %}

{#- For a singular test of the rows of a model of strategy replace_from
    with log_keys: a select of (replaced_key, first_day), the keys its
    incremental run in this invocation logged, each with its first day (see
    get_incremental_replace_from_sql), or '' when every row is to be
    checked (as keys_replaced_this_run). -#}
{% macro replaced_from_this_run(relation) -%}
    {%- if not integration_adoption.logged_this_run(relation) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set logged -%}
        select replaced_key, first_day
        from {{ integration_adoption.replaced_keys_log() }}
        where
            invocation_id = '{{ invocation_id }}'
            and relation_name = '{{ integration_adoption.replaced_days_log_name(relation) }}'
            and replaced_key is not null
    {%- endset -%}
    {{ return(logged) }}
{%- endmacro %}

{#- Whether `relation`'s incremental run in this invocation logged its keys
    (false when compiling, with the var test_every_row, and on Spark). -#}
{% macro logged_this_run(relation) -%}
    {%- if not execute or var('test_every_row') or target.type == 'spark' -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set log = integration_adoption.replaced_keys_log() -%}
    {%- if adapter.get_relation(log.database, log.schema, log.identifier) is none -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set logged_query -%}
        select count(*) from {{ log }}
        where
            invocation_id = '{{ invocation_id }}'
            and relation_name = '{{ integration_adoption.replaced_days_log_name(relation) }}'
            and replaced_key is null
    {%- endset -%}
    {{ return(run_query(logged_query).columns[0][0] > 0) }}
{%- endmacro %}
