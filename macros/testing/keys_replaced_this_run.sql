{#- For a singular test of `relation`'s rows: a predicate on `column`
    keeping the keys `relation`'s incremental run in this invocation logged
    in the replaced-keys log (the rows it rewrote), or 'true' for every row.
    Every row on a full build (no log row of the run), in a run without the
    model (dbt test), with the var test_every_row, and on Spark (no log).
    Rows no run of this invocation touched were checked by the runs that
    wrote them. -#}
{% macro keys_replaced_this_run(relation, column) -%}
    {%- if not execute or var('test_every_row') or target.type == 'spark' -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set log = integration_adoption.replaced_keys_log() -%}
    {%- set name = integration_adoption.replaced_days_log_name(relation) -%}
    {%- if adapter.get_relation(log.database, log.schema, log.identifier) is none -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set logged_query -%}
        select count(*) from {{ log }}
        where
            invocation_id = '{{ invocation_id }}'
            and relation_name = '{{ name }}'
            and replaced_key is null
    {%- endset -%}
    {%- if run_query(logged_query).columns[0][0] == 0 -%}
        {{ return('true') }}
    {%- endif -%}
    {{ return(column ~ ' in (' ~ integration_adoption.replaced_keys_this_run([name]) ~ ')') }}
{%- endmacro %}
