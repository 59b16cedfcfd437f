{#- Custom schemas are used as named (staging, intermediate, marts, config), so
    BI tools read `marts.fct_…` on every target. Set the var
    `prefix_custom_schemas: true` to get dbt's default `<target>_<custom>`
    names, e.g. when several developers share one warehouse. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif var('prefix_custom_schemas', false) -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
