{#- SQL for on-run-start: the roles the models' `grants` name must exist
    before dbt grants to them. On PostgreSQL missing ones are created
    without login (roles are cluster-wide; an administrator gives them
    members or passwords); elsewhere nothing is created. -#}
{% macro create_grant_roles() -%}
    {%- set roles = [] -%}
    {%- for schema, grantees in integration_adoption.grantees().items() -%}
        {%- for role in grantees if role not in roles -%}{%- do roles.append(role) -%}{%- endfor -%}
    {%- endfor -%}
    {%- if roles -%}
        {{ return(adapter.dispatch('create_grant_roles', 'integration_adoption')(roles | sort)) }}
    {%- else -%}
        {{ return('select 1 as no_grant_roles') }}
    {%- endif -%}
{%- endmacro %}

{% macro default__create_grant_roles(roles) -%}
    select 1 as no_grant_roles
{%- endmacro %}

{% macro postgres__create_grant_roles(roles) -%}
    {%- for role in roles %}
    do $$
    begin
        if not exists (select from pg_catalog.pg_roles where rolname = '{{ role }}') then
            create role {{ adapter.quote(role) }} nologin;
        end if;
    exception when duplicate_object then
        null;  -- created meanwhile by a concurrent run
    end
    $$;
    {%- endfor %}
{%- endmacro %}
