{#- coarsened_exact_matching's covariates, normalised: a list of
    {'name', 'expression', 'kind', 'cuts', 'quantiles', 'index'}. A column
    name or a dict without coarsening is categorical (matched exactly on
    its value); a dict with `cuts` (left-closed bins [a, b)) or `quantiles`
    (n bins at the group's quantiles) is numeric. -#}
{% macro cem_covariate_specs(covariates) -%}
    {%- set specs = [] -%}
    {%- for covariate in covariates -%}
        {%- set spec = {'name': covariate} if covariate is string else covariate -%}
        {%- set cuts = spec.get('cuts') -%}
        {%- set quantiles = spec.get('quantiles') -%}
        {%- if cuts is not none and quantiles is not none -%}
            {{ exceptions.raise_compiler_error(
                'coarsened_exact_matching: covariate ' ~ spec['name'] ~ ' has both cuts and quantiles'
            ) }}
        {%- endif -%}
        {%- if quantiles is not none and quantiles < 1 -%}
            {{ exceptions.raise_compiler_error(
                'coarsened_exact_matching: quantiles of ' ~ spec['name'] ~ ' must be at least 1'
            ) }}
        {%- endif -%}
        {%- do specs.append({
            'name': spec['name'],
            'expression': spec.get('expression', spec['name']),
            'kind': 'categorical' if cuts is none and quantiles is none else 'numeric',
            'cuts': (cuts | sort) if cuts is not none else [],
            'quantiles': quantiles,
            'index': loop.index,
        }) -%}
    {%- endfor -%}
    {%- if specs | length == 0 -%}
        {{ exceptions.raise_compiler_error('coarsened_exact_matching: no covariates') }}
    {%- endif -%}
    {{ return(specs) }}
{%- endmacro %}
