{#- The latest version of a versioned model keeps the unsuffixed name
    (marts.dim_accounts), so BI tools go on reading the same table when a new
    version is published; older versions are <name>_v<N> beside it until
    their deprecation_date. Otherwise dbt's default. -#}
{% macro generate_alias_name(custom_alias_name=none, node=none) -%}
    {%- if custom_alias_name -%}
        {{ custom_alias_name | trim }}
    {%- elif node.version is not none and node.version | string == node.latest_version | string -%}
        {{ node.name }}
    {%- elif node.version is not none -%}
        {{ node.name ~ "_v" ~ (node.version | replace(".", "_")) }}
    {%- else -%}
        {{ node.name }}
    {%- endif -%}
{%- endmacro %}
