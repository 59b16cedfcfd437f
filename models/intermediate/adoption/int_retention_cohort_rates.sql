-- Retention rates by activation cohort (metric-definitions §5): the counts of
-- int_retention_cohort_counts (integration × activation month × period grain
-- × period k), plus an all-cohorts row per integration, grain and period that
-- pools only the observable members of each cohort. fct_retention_cohorts
-- adds the monthly curve's shape.
with

per_cohort as (
    select * from {{ ref('int_retention_cohort_counts') }}
),

all_cohorts as (
    -- a cohort too young for period k adds nothing
    select
        integration_key,
        period_grain,
        period_number,
        'all' as activation_cohort,
        cast(null as date) as cohort_start_date,
        max(as_of_date) as as_of_date,
        sum(case when observable_connections > 0 then cohort_size else 0 end) as cohort_size,
        sum(observable_connections) as observable_connections,
        sum(retained_connections) as retained_connections,
        sum(retained_or_after_connections) as retained_or_after_connections
    from per_cohort
    group by integration_key, period_grain, period_number
),

unioned as (
    select * from per_cohort
    union all
    select * from all_cohorts
),

final as (
    select
        integration_key,
        period_grain,
        period_number,
        activation_cohort,
        cohort_start_date,
        as_of_date,
        cohort_size,
        observable_connections,
        retained_connections,
        retained_or_after_connections,
        {{ integration_adoption.safe_divide('retained_connections', 'observable_connections') }}
            as retention_rate,
        {{ integration_adoption.safe_divide('retained_or_after_connections', 'observable_connections') }}
            as unbounded_retention_rate
    from unioned
)

select * from final
