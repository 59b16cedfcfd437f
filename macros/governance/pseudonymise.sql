{#- A keyed sha256 of a personal identifier as 64 hex characters: the same
    input gives the same pseudonym (so counts and joins are unchanged), null
    stays null, and without the key (pii_hash_key) the input cannot be
    looked up by hashing candidate ids. -#}
{% macro pseudonymise(expression) -%}
    {{ return(adapter.dispatch('pseudonymise', 'integration_adoption')(expression)) }}
{%- endmacro %}

{% macro default__pseudonymise(expression) -%}
    sha256({{ dbt.string_literal(integration_adoption.pii_hash_key() ~ ':') }} || {{ expression }})
{%- endmacro %}

{% macro postgres__pseudonymise(expression) -%}
    encode(sha256(convert_to({{ dbt.string_literal(integration_adoption.pii_hash_key() ~ ':') }} || {{ expression }}, 'UTF8')), 'hex')
{%- endmacro %}

{% macro spark__pseudonymise(expression) -%}
    sha2(concat({{ dbt.string_literal(integration_adoption.pii_hash_key() ~ ':') }}, {{ expression }}), 256)
{%- endmacro %}
