{#- A deterministic hash of several columns' values. Each value is prefixed
    and nulls get their own marker, so (null, 'a') and ('a', null) differ. -#}
{% macro content_hash(columns) -%}
    {{ return(adapter.dispatch('content_hash', 'integration_adoption')(columns)) }}
{%- endmacro %}

{% macro default__content_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- if not loop.first -%}{%- do parts.append("'|'") -%}{%- endif -%}
        {%- do parts.append(
            "coalesce('v' || cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), 'n')"
        ) -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
