{#- ISO-8601 text -> UTC timestamp without time zone, or null when it is not
    one of the shapes metric-definitions §2 accepts:
    YYYY-MM-DD[T ]hh:mm:ss[.f{1,9}][Z|z|±hh|±hhmm|±hh:mm], a real date and
    time (year 1 on, no Feb 30, no hour 24, no second 60) with an offset of
    at most ±18:00. No offset means UTC. Zone names, a space before the
    offset and offsets with seconds are refused, never read with the zone
    dropped. Fractions beyond microseconds are cut off (every engine keeps
    microseconds).

    The text is checked and taken apart by position with the same regular
    expressions on every engine, then only a canonical
    'YYYY-MM-DD hh:mm:ss.ffffff' is cast: no engine's own timestamp reader
    (lenient in different ways) decides. -#}
{% macro parse_iso_timestamp_utc(column) -%}
{%- set grammar = '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,9})?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$' -%}
{%- set tail = 'substr(' ~ column ~ ', 20)' -%}
{%- set year = 'cast(substr(' ~ column ~ ', 1, 4) as integer)' -%}
{%- set month = 'cast(substr(' ~ column ~ ', 6, 2) as integer)' -%}
{%- set day = 'cast(substr(' ~ column ~ ', 9, 2) as integer)' -%}
{%- set fraction = integration_adoption.regex_group(tail, '^[.]([0-9]+)') -%}
{%- set zone = integration_adoption.regex_group(tail, '([+-][0-9]{2}(:?[0-9]{2})?)$') -%}
{%- set zone_hours = 'cast(substr(' ~ zone ~ ', 2, 2) as integer)' -%}
{%- set zone_minutes = 'case when length(' ~ zone ~ ') > 3 then cast(substr(' ~ zone ~ ', length(' ~ zone ~ ') - 1, 2) as integer) else 0 end' -%}
    case
        when {{ column }} is null or not {{ integration_adoption.regex_matches(column, grammar) }}
            then null
        -- not a real date and time, or an offset beyond ±18:00
        when
            {{ year }} < 1
            or {{ month }} not between 1 and 12
            or {{ day }} < 1
            or {{ day }} > case
                when {{ month }} = 2
                    then case when ({{ year }} % 4 = 0 and {{ year }} % 100 != 0) or {{ year }} % 400 = 0 then 29 else 28 end
                when {{ month }} in (4, 6, 9, 11) then 30
                else 31
            end
            or cast(substr({{ column }}, 12, 2) as integer) > 23
            or cast(substr({{ column }}, 15, 2) as integer) > 59
            or cast(substr({{ column }}, 18, 2) as integer) > 59
            or ({{ zone }} != '' and ({{ zone_minutes }} > 59 or {{ zone_hours }} * 60 + {{ zone_minutes }} > 18 * 60))
            then null
        else {{ integration_adoption.add_minutes(
            "case when " ~ zone ~ " = '' then 0 when substr(" ~ zone ~ ", 1, 1) = '-' then 1 else -1 end * ("
                ~ "case when " ~ zone ~ " = '' then 0 else " ~ zone_hours ~ " * 60 + " ~ zone_minutes ~ " end)",
            "cast(substr(" ~ column ~ ", 1, 10) || ' ' || substr(" ~ column ~ ", 12, 8) || '.' || substr("
                ~ fraction ~ " || '000000', 1, 6) as " ~ dbt.type_timestamp() ~ ")",
        ) }}
    end
{%- endmacro %}
