{#- Combines the sub-scores of a signal's inputs as its `combine` setting
    says: min (all must be healthy) or max (either suffices). -#}
{% macro combine_subscores(combine, subscores) -%}
    case
        when {{ combine }} = 'max' then greatest({{ subscores | join(', ') }})
        else least({{ subscores | join(', ') }})
    end
{%- endmacro %}
