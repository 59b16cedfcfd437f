{#- Whether the optional partner source (partner_webhooks) is part of the
    build: the var partner_webhooks_enabled, or when it is null the
    environment variable IA_PARTNER_WEBHOOKS_ENABLED, else false. The same
    expression switches the source and its staging model (their YAML and
    dbt_project.yml cannot call a macro); the models that read the partner's
    staging model ask here. -#}
{% macro partner_webhooks_enabled() -%}
    {%- set value = var('partner_webhooks_enabled') -%}
    {%- if value is none -%}
        {%- set value = env_var('IA_PARTNER_WEBHOOKS_ENABLED', 'false') -%}
    {%- endif -%}
    {{ return((value | string | lower) == 'true') }}
{%- endmacro %}
