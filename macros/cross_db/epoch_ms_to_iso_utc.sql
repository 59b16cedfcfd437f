{#- Epoch milliseconds (UTC) -> ISO-8601 text in UTC with milliseconds and a
    Z suffix, e.g. 2025-01-02T03:04:05.250Z; null stays null. Postgres is
    the default. -#}
{% macro epoch_ms_to_iso_utc(column) -%}
    {{ return(adapter.dispatch('epoch_ms_to_iso_utc', 'integration_adoption')(column)) }}
{%- endmacro %}

{% macro default__epoch_ms_to_iso_utc(column) -%}
    to_char(
        to_timestamp({{ column }} / 1000.0) at time zone 'UTC',
        'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'
    )
{%- endmacro %}

{% macro duckdb__epoch_ms_to_iso_utc(column) -%}
    strftime(epoch_ms(cast({{ column }} as bigint)), '%Y-%m-%dT%H:%M:%S.%gZ')
{%- endmacro %}

{% macro spark__epoch_ms_to_iso_utc(column) -%}
    date_format(
        to_utc_timestamp(timestamp_millis({{ column }}), current_timezone()),
        "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
    )
{%- endmacro %}
