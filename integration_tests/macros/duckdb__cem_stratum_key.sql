{#- This project's own stratum key on DuckDB: the package's tuple encoding,
    hashed to 32 hex characters. Found first through the dispatch entry of
    dbt_project.yml. -#}
{% macro duckdb__cem_stratum_key(levels) -%}
    md5({{ integration_adoption.default__cem_stratum_key(levels) }})
{%- endmacro %}
