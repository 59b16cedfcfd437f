{#- Every grantee of a `select` grant of a model in this project, by the
    model's schema: {schema: [role, ...]}. Empty outside execution and where
    no model has grants (DuckDB). -#}
{% macro grantees() -%}
    {%- set by_schema = {} -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.package_name == project_name
            and node.config.get('grants') -%}
            {%- set grantees = node.config.grants.get('select', []) -%}
            {%- for grantee in ([grantees] if grantees is string else grantees) -%}
                {%- do by_schema.setdefault(node.schema, []) -%}
                {%- if grantee not in by_schema[node.schema] -%}
                    {%- do by_schema[node.schema].append(grantee) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(by_schema) }}
{%- endmacro %}
