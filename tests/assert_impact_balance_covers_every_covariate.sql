-- Every integration with treated accounts and controls has balance rows for
-- every matching covariate: exactly one per numeric covariate, at least one
-- per categorical one (a row per level). Returns the gaps.
{%- set matching = integration_adoption.impact_matching_arguments() %}
{%- set covariates = integration_adoption.cem_covariate_specs(matching.covariates) %}
with

impact as (
    select distinct integration_key from {{ ref('fct_integration_impact') }}
    where treated_accounts > 0 and control_accounts > 0
),

balance as (
    select * from {{ ref('fct_integration_impact_balance') }}
),

expected as (
    {%- for covariate in covariates %}
        select
            '{{ covariate.name }}' as covariate,
            '{{ covariate.kind }}' as covariate_kind
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

counted as (
    select
        impact.integration_key,
        expected.covariate,
        expected.covariate_kind,
        count(balance.covariate) as balance_rows
    from impact
    cross join expected
    left join balance
        on
            impact.integration_key = balance.integration_key
            and expected.covariate = balance.covariate
            and expected.covariate_kind = balance.covariate_kind
    group by impact.integration_key, expected.covariate, expected.covariate_kind
)

select * from counted
where
    balance_rows = 0
    or (covariate_kind = 'numeric' and balance_rows != 1)
