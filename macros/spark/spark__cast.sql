{#- Overrides dbt.cast on Spark (dbt_project.yml `dispatch` puts this
    project first for the dbt namespace). The contract check casts null to
    each declared data_type, so `varchar` must become Spark's string. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ integration_adoption.spark_data_type(type) }})
{%- endmacro %}
