-- For one integration: where does the funnel leak, and is retention
-- flattening? Read from the marts alone.
--   dbt compile -s funnel_leak_and_retention_shape --vars '{analysis_integration: hubspot}'
-- then run the compiled SQL (target/compiled/.../analyses/) in any SQL client.
{%- set integration = var('analysis_integration', 'salesforce') %}
with

funnel as (
    select * from {{ ref('fct_integration_funnel') }}
    where
        integration_key = '{{ integration }}'
        and cohort_grain = 'month'
        and install_cohort = 'all'
        and segment = 'all'
),

cohorts as (
    select * from {{ ref('fct_retention_cohorts') }}
    where
        integration_key = '{{ integration }}'
        and period_grain = 'month'
        and activation_cohort = 'all'
),

by_segment as (
    select
        segment,
        activation_rate,
        retention_90d_rate,
        leak_diagnosis
    from {{ ref('fct_integration_funnel') }}
    where
        integration_key = '{{ integration }}'
        and cohort_grain = 'month'
        and install_cohort = 'all'
        and segment != 'all'
),

curve as (
    select
        max(is_flattening) as is_flattening,
        max(retention_floor) as retention_floor,
        max(case when period_number = 1 then retention_rate end) as month_1_retention,
        max(case when period_number = 3 then retention_rate end) as month_3_retention,
        max(case when period_number = 6 then retention_rate end) as month_6_retention,
        max(case when period_number = 12 then retention_rate end) as month_12_retention
    from cohorts
),

worst_segment as (
    select
        segment as weakest_activation_segment,
        activation_rate as weakest_segment_activation_rate
    from by_segment
    where activation_rate is not null
    order by activation_rate asc
    limit 1
),

final as (
    select
        funnel.integration_key,
        funnel.installed_connections,
        funnel.activation_rate,
        funnel.retention_30d_rate,
        funnel.retention_90d_rate,
        funnel.median_time_to_first_value_days,
        funnel.first_value_loss,
        funnel.durability_loss,
        -- the stage that loses more connections
        funnel.leak_diagnosis,
        funnel.funnel_verdict,
        worst_segment.weakest_activation_segment,
        worst_segment.weakest_segment_activation_rate,
        curve.month_1_retention,
        curve.month_3_retention,
        curve.month_6_retention,
        curve.month_12_retention,
        -- flattening: the last three monthly steps each move the rate by < 2 points
        curve.is_flattening,
        curve.retention_floor
    from funnel
    cross join curve
    cross join worst_segment
)

select * from final
