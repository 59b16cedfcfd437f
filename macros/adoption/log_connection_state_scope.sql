{#- Pre-hook of int_connection_state_spells: on an incremental run, the
    connections it rewrites (connection_state_scope, the same select as the
    model's) go to the replaced-keys log, with a row without a key that says
    the run was incremental, so that the singular tests of the state rules
    in the same invocation check those connections (keys_replaced_this_run).
    On a full build the model's rows of the log are dropped: every
    connection is checked. Nothing on Spark, where the model is a table. -#}
{% macro log_connection_state_scope() -%}
    {{ return(adapter.dispatch('log_connection_state_scope', 'integration_adoption')()) }}
{%- endmacro %}

{% macro default__log_connection_state_scope() -%}
    {%- set log = integration_adoption.replaced_keys_log() -%}
    {%- set name = integration_adoption.replaced_days_log_name(this) -%}
    delete from {{ log }} where relation_name = '{{ name }}'
    {%- if is_incremental() %};
    insert into {{ log }} (relation_name, invocation_id, replaced_key)
    select '{{ name }}', '{{ invocation_id }}', cast(null as {{ dbt.type_string() }});
    insert into {{ log }} (relation_name, invocation_id, replaced_key)
    select '{{ name }}', '{{ invocation_id }}', connection_id
    from (
        with

        lifecycle as (
            select * from {{ ref('int_connections_lifecycle') }}
        ),

        {{ integration_adoption.connection_state_scope(this) | indent(8) }}

        select connection_id from in_scope
    ) as scope_connections
    {%- endif %}
{%- endmacro %}

{% macro spark__log_connection_state_scope() -%}
{%- endmacro %}
