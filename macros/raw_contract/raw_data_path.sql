{#- The folder of the raw Parquet files (one sub-folder per source table): the
    var raw_data_path, else the environment variable IA_RAW_DATA_PATH, else
    data/raw, as the sources' external_location reads it. -#}
{% macro raw_data_path() -%}
    {{ return(var('raw_data_path') or env_var('IA_RAW_DATA_PATH', 'data/raw')) }}
{%- endmacro %}
