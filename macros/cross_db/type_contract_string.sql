{#- The string type of a contracted mart's column, as its contract declares it
    (`varchar`). dbt.type_string() is `text` on PostgreSQL: an incremental
    run's on_schema_change check would see it as a new type for the table's
    `character varying` columns and stop. -#}
{% macro type_contract_string() -%}
    {{ return(adapter.dispatch('type_contract_string', 'integration_adoption')()) }}
{%- endmacro %}

{% macro default__type_contract_string() -%}
    {{ return(dbt.type_string()) }}
{%- endmacro %}

{% macro postgres__type_contract_string() -%}
    {{ return('varchar') }}
{%- endmacro %}
