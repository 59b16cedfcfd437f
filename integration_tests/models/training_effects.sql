-- The package's one-call matching on this project's own table.
with

trainees as (
    select * from {{ ref('trainees') }}
),

effects as (
    {{ integration_adoption.coarsened_exact_matching(
        relation='trainees',
        treatment='is_treated',
        outcomes=[{'name': 'y', 'expression': 'outcome_value', 'e_value': 'risk_ratio'}],
        covariates=['plan', {'name': 'size', 'cuts': [10]}],
        group_by=['cohort'],
    ) }}
)

select * from effects
