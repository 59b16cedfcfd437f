{#- SQL for on-run-end: `grants` give select on tables, and a role also
    needs usage on their schema. Grants usage on each schema holding models
    with grants to the roles its models name; other schemas stay closed. -#}
{% macro grant_schema_usage() -%}
    {%- set by_schema = integration_adoption.grantees() -%}
    {%- if by_schema -%}
        {{ return(adapter.dispatch('grant_schema_usage', 'integration_adoption')(by_schema)) }}
    {%- else -%}
        {{ return('select 1 as no_schema_grants') }}
    {%- endif -%}
{%- endmacro %}

{% macro default__grant_schema_usage(by_schema) -%}
    {%- for schema in by_schema | sort %}
    grant usage on schema {{ adapter.quote(schema) }} to {{ by_schema[schema] | sort | join(', ') }};
    {%- endfor %}
{%- endmacro %}

{#- only schemas that exist (a run may have built none of a schema's models) -#}
{% macro postgres__grant_schema_usage(by_schema) -%}
    {%- for schema in by_schema | sort %}
    do $$
    begin
        if exists (select from pg_catalog.pg_namespace where nspname = '{{ schema }}') then
            grant usage on schema {{ adapter.quote(schema) }} to
                {% for role in by_schema[schema] | sort %}{{ adapter.quote(role) }}{% if not loop.last %}, {% endif %}{% endfor %};
        end if;
    end
    $$;
    {%- endfor %}
{%- endmacro %}
