{#- coarsened_exact_matching's outcomes, normalised: a list of
    {'name', 'expression', 'e_value'} from column names or dicts. `e_value`
    is how the outcome's E-value is read (metric-definitions §8.1):
    'risk_ratio' (yes/no or count outcomes: ȳt ÷ ȳc), 'standardized'
    (continuous outcomes: exp(0.91 · ATT ÷ SD of the matched controls)) or
    none (no E-value). -#}
{% macro cem_outcome_specs(outcomes) -%}
    {%- set specs = [] -%}
    {%- for outcome in outcomes -%}
        {%- set spec = {'name': outcome} if outcome is string else outcome -%}
        {%- set e_value = spec.get('e_value') -%}
        {%- if e_value not in [none, 'risk_ratio', 'standardized'] -%}
            {{ exceptions.raise_compiler_error(
                "coarsened_exact_matching: e_value of " ~ spec['name']
                ~ " must be 'risk_ratio', 'standardized' or none, not " ~ e_value
            ) }}
        {%- endif -%}
        {%- do specs.append({
            'name': spec['name'],
            'expression': spec.get('expression', spec['name']),
            'e_value': e_value,
        }) -%}
    {%- endfor -%}
    {%- if specs | length == 0 -%}
        {{ exceptions.raise_compiler_error('coarsened_exact_matching: no outcomes') }}
    {%- endif -%}
    {{ return(specs) }}
{%- endmacro %}
