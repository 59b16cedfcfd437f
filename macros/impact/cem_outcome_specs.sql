{#- coarsened_exact_matching's outcomes, normalised: a list of
    {'name', 'expression'} from column names or dicts. -#}
{% macro cem_outcome_specs(outcomes) -%}
    {%- set specs = [] -%}
    {%- for outcome in outcomes -%}
        {%- if outcome is string -%}
            {%- do specs.append({'name': outcome, 'expression': outcome}) -%}
        {%- else -%}
            {%- do specs.append({
                'name': outcome['name'],
                'expression': outcome.get('expression', outcome['name']),
            }) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if specs | length == 0 -%}
        {{ exceptions.raise_compiler_error('coarsened_exact_matching: no outcomes') }}
    {%- endif -%}
    {{ return(specs) }}
{%- endmacro %}
