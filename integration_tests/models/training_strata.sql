-- Coarsened once: each trainee with its stratum (the package's cem_coarsen).
with

trainees as (
    select * from {{ ref('trainees') }}
),

coarsened as (
    {{ integration_adoption.cem_coarsen(
        relation='trainees',
        covariates=['plan', {'name': 'size', 'cuts': [10]}],
        group_by=['cohort'],
    ) }}
)

select * from coarsened
