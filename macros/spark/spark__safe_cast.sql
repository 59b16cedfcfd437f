{#- Overrides dbt.safe_cast on Spark (see spark__cast): unit-test fixtures
    cast every value to the input's declared data_type. -#}
{% macro spark__safe_cast(field, type) -%}
    {{ dbt.spark__safe_cast(field, integration_adoption.spark_data_type(type)) }}
{%- endmacro %}
