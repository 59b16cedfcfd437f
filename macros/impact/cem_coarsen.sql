{#- The coarsening step of coarsened exact matching (metric-definitions §8):
    every row of `relation` with its stratum, the tuple of its coarsened
    covariates, in a new column `cem_stratum` (macro cem_stratum_key).
    Categorical covariates keep their value; numeric ones become the number
    of their left-closed bins [a, b) below the value, at explicit `cuts` or
    at `quantiles` n-quantiles of the group, computed over every row of the
    group (treated, control or neither). A missing value is a level of its
    own. cem_effects and cem_balance read the result, so one coarsening
    serves both.

    relation   table, ref() or CTE name; one row per unit
    covariates as in coarsened_exact_matching
    group_by   columns that split the analysis (the quantiles are per group) -#}
{% macro cem_coarsen(relation, covariates, group_by=[]) -%}
    {{ return(adapter.dispatch('cem_coarsen', 'integration_adoption')(relation, covariates, group_by)) }}
{%- endmacro %}

{% macro default__cem_coarsen(relation, covariates, group_by) -%}
{%- set covs = integration_adoption.cem_covariate_specs(covariates) -%}
{%- set double = integration_adoption.type_double() -%}
{%- set levels = [] -%}
{%- for cov in covs -%}
    {%- if cov.kind == 'categorical' -%}
        {%- do levels.append(cov.expression) -%}
    {%- else -%}
        {%- set x = 'cast(' ~ cov.expression ~ ' as ' ~ double ~ ')' -%}
        {%- set bins = [] -%}
        {%- if cov.quantiles -%}
            {%- for k in range(1, cov.quantiles) -%}
                {%- do bins.append(
                    'case when ' ~ x ~ ' >= cem__cuts.cem__q_' ~ cov.index ~ '_' ~ k ~ ' then 1 else 0 end'
                ) -%}
            {%- endfor -%}
        {%- else -%}
            {%- for cut in cov.cuts -%}
                {%- do bins.append('case when ' ~ x ~ ' >= ' ~ cut ~ ' then 1 else 0 end') -%}
            {%- endfor -%}
        {%- endif -%}
        {%- do levels.append(
            'case when ' ~ x ~ ' is not null then ' ~ ((bins | join(' + ')) if bins else '0') ~ ' end'
        ) -%}
    {%- endif -%}
{%- endfor -%}
with

-- quantile cut points per group, over every row (treated, control or neither)
cem__cuts as (
    select
        {%- for column in group_by %}
        {{ column }},
        {%- endfor %}
        {%- for cov in covs if cov.quantiles %}
        {%- set cov_index = cov.index %}
        {%- for k in range(1, cov.quantiles) %}
        {{ integration_adoption.percentile_cont(
            'cast(' ~ cov.expression ~ ' as ' ~ double ~ ')', k / cov.quantiles
        ) }} as cem__q_{{ cov_index }}_{{ k }},
        {%- endfor %}
        {%- endfor %}
        count(*) as cem__rows
    from {{ relation }}
    {%- if group_by %}
    group by {{ group_by | join(', ') }}
    {%- endif %}
)

select
    cem__unit.*,
    {{ integration_adoption.cem_stratum_key(levels) }} as cem_stratum
from {{ relation }} as cem__unit
{%- if group_by %}
inner join cem__cuts
    on
        {%- for column in group_by %}
        {{ 'and ' if not loop.first }}cem__unit.{{ column }} = cem__cuts.{{ column }}
        {%- endfor %}
{%- else %}
cross join cem__cuts
{%- endif %}
{%- endmacro %}
