{#- A column type of the YAML (contracts, source columns, unit-test
    fixtures) in Spark's spelling: Spark wants a length on varchar and has no
    `text` or `double precision`, so those become string and double. Every
    other type is kept as written. -#}
{% macro spark_data_type(data_type) -%}
    {%- set normalized = data_type | trim | lower -%}
    {%- if normalized in ('varchar', 'text', 'character varying') -%}
        {{ return('string') }}
    {%- elif normalized == 'double precision' -%}
        {{ return('double') }}
    {%- endif -%}
    {{ return(data_type) }}
{%- endmacro %}
