{#- SQL for on-run-start: the helper functions some engines need so that the
    cross-database macros behave as on DuckDB. Idempotent; nothing on
    engines that need none. On PostgreSQL (and Redshift's Postgres dialect
    is not covered: it has no plpgsql functions of this kind):
      ia_is_valid_json(text)           PostgreSQL 15 has no `is json`
      ia_try_cast_timestamp(text)      a cast that returns null instead of failing
      ia_try_cast_timestamptz(text)
      ia_try_cast_double(text)
      ia_last_non_null(anyelement)     an aggregate: last_value(... ignore nulls)
    They live in the target schema. The four that catch an error are
    parallel unsafe: an exception block starts a subtransaction, which
    PostgreSQL refuses anywhere in a parallel query (an incremental run's
    plans are parallel where a full build's were not). -#}
{% macro create_engine_functions() -%}
    {{ return(adapter.dispatch('create_engine_functions', 'integration_adoption')()) }}
{%- endmacro %}

{% macro default__create_engine_functions() -%}
    select 1 as no_engine_functions_needed
{%- endmacro %}

{% macro postgres__create_engine_functions() -%}
    {%- set schema = adapter.quote(target.schema) -%}
    create schema if not exists {{ schema }};

    create or replace function {{ schema }}.ia_is_valid_json(value text)
    returns boolean language plpgsql immutable strict parallel unsafe as $$
    begin
        perform value::json;
        return true;
    exception when others then
        return false;
    end;
    $$;

    create or replace function {{ schema }}.ia_try_cast_timestamp(value text)
    returns timestamp language plpgsql stable strict parallel unsafe as $$
    begin
        return value::timestamp;
    exception when others then
        return null;
    end;
    $$;

    create or replace function {{ schema }}.ia_try_cast_timestamptz(value text)
    returns timestamptz language plpgsql stable strict parallel unsafe as $$
    begin
        return value::timestamptz;
    exception when others then
        return null;
    end;
    $$;

    create or replace function {{ schema }}.ia_try_cast_double(value text)
    returns double precision language plpgsql immutable strict parallel unsafe as $$
    begin
        return value::double precision;
    exception when others then
        return null;
    end;
    $$;

    create or replace function {{ schema }}.ia_last_non_null_step(state anyelement, value anyelement)
    returns anyelement language sql immutable parallel safe as $$
        select coalesce(value, state)
    $$;

    create or replace aggregate {{ schema }}.ia_last_non_null(anyelement) (
        sfunc = {{ schema }}.ia_last_non_null_step,
        stype = anyelement
    );
{%- endmacro %}
