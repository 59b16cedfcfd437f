{#- The key of the pseudonymising hash. Set IA_PII_HASH_KEY on every shared
    target; the default is for development only. dbt writes the key into the
    compiled SQL (target/, logs), so treat those as secret where it is set. -#}
{% macro pii_hash_key() -%}
    {{ return(env_var('IA_PII_HASH_KEY', 'integration-adoption-development-key')) }}
{%- endmacro %}
