-- Properties of every retention curve (metric-definitions §5): at period 0
-- the observation day is the activation day itself, a work day, so every
-- observable member is retained; and a cohort's observable count never grows
-- with k (a later observation day is observable for no more members).
with

cohorts as (
    select * from {{ ref('fct_retention_cohorts') }}
    where activation_cohort != 'all'
),

period_zero as (
    select
        integration_key,
        period_grain,
        activation_cohort,
        period_number,
        'period 0 not fully retained' as problem
    from cohorts
    where
        period_number = 0
        and (retained_connections != observable_connections or observable_connections != cohort_size)
),

growing as (
    select
        integration_key,
        period_grain,
        activation_cohort,
        period_number,
        'observable grows with k' as problem
    from (
        select
            *,
            lag(observable_connections) over (
                partition by integration_key, period_grain, activation_cohort
                order by period_number
            ) as previous_observable
        from cohorts
    ) as with_previous
    where observable_connections > previous_observable
)

select * from period_zero
union all
select * from growing
