{#- Whether a column type as the warehouse or DuckDB's Parquet reader names
    it (VARCHAR, character varying, string, TIMESTAMP WITH TIME ZONE, int,
    DECIMAL(18,2), …) can stand for the raw contract's YAML data_type
    (varchar, timestamp, bigint, double, date): staging casts it without
    changing its meaning. A STRUCT, a list or a map is never text. -#}
{% macro raw_type_matches(actual_type, contract_type) -%}
    {%- set actual = actual_type | lower | trim -%}
    {%- set contract = contract_type | lower | trim -%}
    {%- set is_text = actual.split('(')[0] in [
        'varchar', 'text', 'string', 'character varying', 'character', 'char', 'bpchar', 'nvarchar'
    ] -%}
    {%- set is_timestamp = actual.startswith('timestamp') or actual.startswith('datetime') -%}
    {%- set is_integer = actual in [
        'tinyint', 'smallint', 'integer', 'int', 'bigint', 'hugeint', 'utinyint', 'usmallint',
        'uinteger', 'ubigint', 'int1', 'int2', 'int4', 'int8', 'byte', 'short', 'long'
    ] -%}
    {%- set is_number = is_integer or actual.split('(')[0] in [
        'double', 'double precision', 'float', 'float4', 'float8', 'real', 'decimal', 'numeric'
    ] -%}
    {%- if contract in ['varchar', 'text', 'string'] -%}
        {{ return(is_text) }}
    {%- elif contract.startswith('timestamp') -%}
        {{ return(is_timestamp) }}
    {%- elif contract in ['bigint', 'integer', 'int'] -%}
        {{ return(is_integer) }}
    {%- elif contract in ['double', 'double precision', 'float', 'numeric', 'decimal'] -%}
        {{ return(is_number) }}
    {%- elif contract == 'date' -%}
        {{ return(actual == 'date' or is_timestamp) }}
    {%- endif -%}
    {{ return(actual == contract) }}
{%- endmacro %}
