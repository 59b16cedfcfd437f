{#-
    The config of an incremental model that replaces, on each run, every row
    of the keys its batch holds (delete+insert on `unique_key`), as a dict for
    `config(**…)`. Per adapter: an engine without delete (Spark on parquet)
    rebuilds the model as a table, which is always correct.
-#}
{% macro incremental_replace_config(unique_key) -%}
    {{ return(adapter.dispatch('incremental_replace_config', 'integration_adoption')(unique_key)) }}
{%- endmacro %}

{% macro default__incremental_replace_config(unique_key) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': unique_key,
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{% macro spark__incremental_replace_config(unique_key) -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}
