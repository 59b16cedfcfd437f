-- Balance on the strata of training_strata (the package's cem_balance).
with

strata as (
    select * from {{ ref('training_strata') }}
),

balance as (
    {{ integration_adoption.cem_balance(
        relation='strata',
        treatment='is_treated',
        covariates=['plan', {'name': 'size', 'cuts': [10]}],
        group_by=['cohort'],
    ) }}
)

select * from balance
