{#- The keyword that keeps a CTE read twice from being materialised, where the
    engine needs it: DuckDB materialises such a CTE, and on wide raw rows at
    scale that is tens of GB spilled to disk (benchmarks/results.md);
    recomputing the projection is cheaper. Nothing elsewhere: Spark inlines
    CTEs, and on PostgreSQL an inlined CTE can run in a parallel plan, where
    the PL/pgSQL JSON check (ia_is_valid_json, an exception block) may not
    run. -#}
{% macro cte_not_materialized() -%}
    {{ return(adapter.dispatch('cte_not_materialized', 'integration_adoption')()) }}
{%- endmacro %}

{% macro default__cte_not_materialized() -%}
{%- endmacro %}

{% macro duckdb__cte_not_materialized() -%}
    not materialized
{%- endmacro %}
