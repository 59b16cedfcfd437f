{#- The keyword that keeps a CTE read twice from being materialised, where the
    engine has it: DuckDB materialises such a CTE, and on wide raw rows at scale
    that is tens of GB spilled to disk (benchmarks/results.md); recomputing the
    projection is cheaper. PostgreSQL 12+ takes the same keyword. Nothing on
    other engines (Spark inlines CTEs). -#}
{% macro cte_not_materialized() -%}
    {{ return(adapter.dispatch('cte_not_materialized', 'integration_adoption')()) }}
{%- endmacro %}

{% macro default__cte_not_materialized() -%}
{%- endmacro %}

{% macro duckdb__cte_not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro postgres__cte_not_materialized() -%}
    not materialized
{%- endmacro %}
