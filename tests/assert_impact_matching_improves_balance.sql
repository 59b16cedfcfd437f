-- Matching must improve balance (metric-definitions §8): over every
-- integration and covariate, the mean absolute standardized difference (each
-- covariate's levels averaged first) is smaller after matching than before.
-- Only rows where both differences are defined count. Returns a row when not.
with

balance as (
    select * from {{ ref('fct_integration_impact_balance') }}
    where
        standardized_mean_difference_before is not null
        and standardized_mean_difference_after is not null
),

per_covariate as (
    select
        integration_key,
        covariate,
        avg(abs(standardized_mean_difference_before)) as mean_abs_smd_before,
        avg(abs(standardized_mean_difference_after)) as mean_abs_smd_after
    from balance
    group by integration_key, covariate
),

overall as (
    select
        count(*) as covariate_rows,
        avg(mean_abs_smd_before) as mean_abs_smd_before,
        avg(mean_abs_smd_after) as mean_abs_smd_after
    from per_covariate
)

select * from overall
where
    covariate_rows > 0
    and not mean_abs_smd_after < mean_abs_smd_before
