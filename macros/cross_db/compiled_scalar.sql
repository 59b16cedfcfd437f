{#- The value of a select of one value, read once when the model is compiled
    and written into its SQL as a literal (a date, a number, or null): a
    filter on a constant reaches the scan of the tables below (DuckDB pushes
    it down, and prunes row groups by it), a scalar subquery does not. At
    parse time and in a unit test, whose inputs are rows given in the test,
    the scalar subquery itself. -#}
{% macro compiled_scalar(select_sql) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return('(' ~ select_sql ~ ')') }}
    {%- endif -%}
    {%- set value = run_query(select_sql).columns[0][0] -%}
    {%- if value is none -%}
        {{ return('null') }}
    {%- elif value is number -%}
        {{ return(value | string) }}
    {%- endif -%}
    {{ return("cast('" ~ value.strftime('%Y-%m-%d') ~ "' as date)") }}
{%- endmacro %}
