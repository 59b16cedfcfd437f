{#- JSON text with the string value of one key replaced by "[redacted]",
    wherever the key appears (also in text that is not valid JSON, which the
    quarantine keeps as delivered). Other keys and values are unchanged. -#}
{% macro redact_json_text_value(expression, key) -%}
    {{ return(adapter.dispatch('redact_json_text_value', 'integration_adoption')(expression, key)) }}
{%- endmacro %}

{%- macro _redact_json_text_value_pattern(key) -%}
    {{- return('("' ~ key ~ '"\\s*:\\s*)"([^"\\\\]|\\\\.)*"') -}}
{%- endmacro %}

{% macro default__redact_json_text_value(expression, key) -%}
    regexp_replace({{ expression }}, '{{ integration_adoption._redact_json_text_value_pattern(key) }}', '\1"[redacted]"', 'g')
{%- endmacro %}

{#- Spark string literals treat backslashes as escapes: doubled -#}
{% macro spark__redact_json_text_value(expression, key) -%}
    regexp_replace({{ expression }}, '{{ integration_adoption._redact_json_text_value_pattern(key) | replace('\\', '\\\\') }}', '$1"[redacted]"')
{%- endmacro %}
