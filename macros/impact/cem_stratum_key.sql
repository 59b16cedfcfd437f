{#- The stratum of coarsened exact matching as one string that encodes the
    tuple of its levels (metric-definitions §8): each level is written as
    its length, `:` and its text, a missing level as `n`, joined by `;`.
    Read from the left, the lengths say where each level ends, so two
    different tuples never give the same key whatever characters the
    values hold (`x|y`, `z` ≠ `x`, `y|z`), and a missing level is never the
    text of a real one. Deterministic on every engine (length counts
    characters on DuckDB, PostgreSQL and Spark).

    levels  SQL expressions, one per covariate: its coarsened level (text or
            a bin number), null when the value is missing -#}
{% macro cem_stratum_key(levels) -%}
    {{ return(adapter.dispatch('cem_stratum_key', 'integration_adoption')(levels)) }}
{%- endmacro %}

{% macro default__cem_stratum_key(levels) -%}
    {%- set string = dbt.type_string() -%}
    {%- set parts = [] -%}
    {%- for level in levels -%}
        {%- set text = 'cast(' ~ level ~ ' as ' ~ string ~ ')' -%}
        {%- if not loop.first -%}{%- do parts.append("';'") -%}{%- endif -%}
        {%- do parts.append(
            'coalesce(' ~ dbt.concat(['cast(' ~ dbt.length(text) ~ ' as ' ~ string ~ ')', "':'", text])
            ~ ", 'n')"
        ) -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}
