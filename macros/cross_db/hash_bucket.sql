{#- A deterministic bucket 0 .. buckets - 1 of a text value: the first 7 hex
    digits of its md5 as an integer, modulo `buckets`. The same value gets the
    same bucket on every engine and every run (unlike DuckDB's hash()), so a
    sample drawn with it is reproducible. -#}
{% macro hash_bucket(column, buckets) -%}
    {{ return(adapter.dispatch('hash_bucket', 'integration_adoption')(column, buckets)) }}
{%- endmacro %}

{% macro default__hash_bucket(column, buckets) -%}
    mod(cast(cast('x' || substr({{ dbt.hash(column) }}, 1, 7) as bit(28)) as bigint), {{ buckets }})
{%- endmacro %}

{% macro duckdb__hash_bucket(column, buckets) -%}
    mod(cast('0x' || substr({{ dbt.hash(column) }}, 1, 7) as bigint), {{ buckets }})
{%- endmacro %}

{% macro spark__hash_bucket(column, buckets) -%}
    pmod(cast(conv(substr({{ dbt.hash(column) }}, 1, 7), 16, 10) as bigint), {{ buckets }})
{%- endmacro %}
