{#- ISO-8601 text -> UTC timestamp without time zone, or null when it cannot be
    parsed. Text with an offset (Z, +02, +0200, +02:00) is converted to UTC;
    text without one is already UTC (metric-definitions §2). -#}
{% macro parse_iso_timestamp_utc(column) -%}
    {{ return(adapter.dispatch('parse_iso_timestamp_utc', 'integration_adoption')(column)) }}
{%- endmacro %}

{% macro default__parse_iso_timestamp_utc(column) -%}
    case
        when {{ column }} ~ '[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$'
            then cast({{ column }} as timestamp with time zone) at time zone 'UTC'
        else cast({{ column }} as timestamp)
    end
{%- endmacro %}

{% macro duckdb__parse_iso_timestamp_utc(column) -%}
    case
        when regexp_matches(
            {{ column }},
            '[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$'
        )
            then timezone('UTC', try_cast({{ column }} as timestamptz))
        else try_cast({{ column }} as timestamp)
    end
{%- endmacro %}

{#- PostgreSQL's timestamp input also takes words ('yesterday') and
    DateStyle-dependent orders ('31/12/2024'): only ISO-8601-shaped text is
    cast, and a cast that fails (2025-02-30) gives null, as DuckDB's try_cast. -#}
{% macro postgres__parse_iso_timestamp_utc(column) -%}
    {%- set schema = adapter.quote(target.schema) -%}
    case
        when {{ column }} !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$'
            then null
        when {{ column }} ~ '[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$'
            then {{ schema }}.ia_try_cast_timestamptz({{ column }}) at time zone 'UTC'
        else {{ schema }}.ia_try_cast_timestamp({{ column }})
    end
{%- endmacro %}

{#- Spark's cast reads every ISO-8601 offset form (Z, +02, +0200, +02:00)
    and converts to the session time zone, UTC in profiles.yml. It also
    accepts a bare year ('2025'), so the text must start with a full date,
    as DuckDB's cast wants. -#}
{% macro spark__parse_iso_timestamp_utc(column) -%}
    case
        when {{ column }} rlike '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ]|$)'
            then try_cast(regexp_replace({{ column }}, 'z$', 'Z') as timestamp)
    end
{%- endmacro %}
