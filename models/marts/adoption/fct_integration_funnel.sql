-- The adoption funnel (metric-definitions §4): integration × install cohort
-- (week and month, `cohort_grain`) × segment, with `all` roll-ups. Each stage
-- counts only connections for which it is observable, in its numerator and
-- its denominator.
with

stages as (
    select * from {{ ref('int_connection_funnel_stages') }}
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

integration_catalog as (
    select * from {{ ref('integration_catalog') }}
),

by_grain as (
    select
        'week' as cohort_grain,
        cast(stages.install_week_date as {{ dbt.type_string() }}) as install_cohort,
        stages.*
    from stages
    union all
    select
        'month' as cohort_grain,
        cast(stages.install_month_date as {{ dbt.type_string() }}) as install_cohort,
        stages.*
    from stages
),

with_segment as (
    select
        by_grain.*,
        accounts.segment
    from by_grain
    inner join accounts
        on by_grain.account_id = accounts.account_id
),

aggregated as (
    select
        coalesce(integration_key, 'all') as integration_key,
        cohort_grain,
        coalesce(install_cohort, 'all') as install_cohort,
        coalesce(segment, 'all') as segment,
        count(*) as installed_connections,
        sum(case when is_setup_observable then 1 else 0 end) as setup_observable_connections,
        sum(case when is_setup_observable and is_setup_completed then 1 else 0 end)
            as setup_completed_connections,
        sum(case when is_activation_observable then 1 else 0 end)
            as activation_observable_connections,
        sum(case when is_counted_activated then 1 else 0 end) as activated_connections,
        sum(case when is_retained_30d_observable then 1 else 0 end)
            as retained_30d_observable_connections,
        sum(case when is_retained_30d then 1 else 0 end) as retained_30d_connections,
        sum(case when is_retained_90d_observable then 1 else 0 end)
            as retained_90d_observable_connections,
        sum(case when is_retained_90d then 1 else 0 end) as retained_90d_connections,
        {{ integration_adoption.percentile_cont(
            'case when is_counted_activated then time_to_first_value_days end', 0.5) }}
            as median_time_to_first_value_days,
        {{ integration_adoption.percentile_cont(
            'case when is_counted_activated then time_to_first_value_days end', 0.9) }}
            as p90_time_to_first_value_days,
        max(as_of_date) as as_of_date
    from with_segment
    group by cohort_grain, cube(integration_key, install_cohort, segment)
),

rates as (
    select
        aggregated.*,
        {{ integration_adoption.safe_divide('setup_completed_connections', 'setup_observable_connections') }}
            as setup_rate,
        {{ integration_adoption.safe_divide('activated_connections', 'activation_observable_connections') }}
            as activation_rate,
        {{ integration_adoption.safe_divide('retained_30d_connections', 'retained_30d_observable_connections') }}
            as retention_30d_rate,
        {{ integration_adoption.safe_divide('retained_90d_connections', 'retained_90d_observable_connections') }}
            as retention_90d_rate
    from aggregated
),

diagnosed as (
    select
        rates.*,
        coalesce(
            integration_catalog.healthy_activation_rate,
            {{ var('default_healthy_activation_rate') }}
        ) as healthy_activation_rate,
        coalesce(
            integration_catalog.healthy_retention_90d_rate,
            {{ var('default_healthy_retention_90d_rate') }}
        ) as healthy_retention_90d_rate,
        rates.activation_observable_connections >= {{ var('funnel_verdict_min_observable') }}
            as is_activation_judged,
        rates.retained_90d_observable_connections >= {{ var('funnel_verdict_min_observable') }}
            as is_retention_90d_judged,
        1 - rates.activation_rate as first_value_loss,
        -- the 30-day rate stands in while no connection is 90-day observable
        1 - case
            when rates.retained_90d_observable_connections > 0 then rates.retention_90d_rate
            else rates.retention_30d_rate
        end as durability_loss
    from rates
    left join integration_catalog
        on rates.integration_key = integration_catalog.integration_key
),

final as (
    select
        ---------- ids
        cast(integration_key as {{ dbt.type_string() }}) as integration_key,

        ---------- strings
        cast(cohort_grain as {{ dbt.type_string() }}) as cohort_grain,
        cast(install_cohort as {{ dbt.type_string() }}) as install_cohort,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(
            case
                when first_value_loss is null or durability_loss is null then null
                when first_value_loss >= durability_loss then 'first_value_problem'
                else 'durability_problem'
            end as {{ dbt.type_string() }}
        ) as leak_diagnosis,
        -- a rate is judged only with enough observable connections (§4)
        cast(
            case
                -- a judged rate misses its threshold
                when
                    (is_activation_judged and activation_rate < healthy_activation_rate)
                    or (is_retention_90d_judged and retention_90d_rate < healthy_retention_90d_rate)
                    then 'stalled'
                -- both judged, and neither missed
                when is_activation_judged and is_retention_90d_judged then 'healthy'
                -- a young or small cohort: not judged yet
                else 'too_early'
            end as {{ dbt.type_string() }}
        ) as funnel_verdict,

        ---------- numerics
        cast(installed_connections as {{ dbt.type_bigint() }}) as installed_connections,
        cast(setup_observable_connections as {{ dbt.type_bigint() }})
            as setup_observable_connections,
        cast(setup_completed_connections as {{ dbt.type_bigint() }})
            as setup_completed_connections,
        cast(activation_observable_connections as {{ dbt.type_bigint() }})
            as activation_observable_connections,
        cast(activated_connections as {{ dbt.type_bigint() }}) as activated_connections,
        cast(retained_30d_observable_connections as {{ dbt.type_bigint() }})
            as retained_30d_observable_connections,
        cast(retained_30d_connections as {{ dbt.type_bigint() }}) as retained_30d_connections,
        cast(retained_90d_observable_connections as {{ dbt.type_bigint() }})
            as retained_90d_observable_connections,
        cast(retained_90d_connections as {{ dbt.type_bigint() }}) as retained_90d_connections,
        cast(setup_rate as {{ integration_adoption.type_double() }}) as setup_rate,
        cast(activation_rate as {{ integration_adoption.type_double() }}) as activation_rate,
        cast(retention_30d_rate as {{ integration_adoption.type_double() }}) as retention_30d_rate,
        cast(retention_90d_rate as {{ integration_adoption.type_double() }}) as retention_90d_rate,
        cast(median_time_to_first_value_days as {{ integration_adoption.type_double() }})
            as median_time_to_first_value_days,
        cast(p90_time_to_first_value_days as {{ integration_adoption.type_double() }})
            as p90_time_to_first_value_days,
        cast(first_value_loss as {{ integration_adoption.type_double() }}) as first_value_loss,
        cast(durability_loss as {{ integration_adoption.type_double() }}) as durability_loss,
        cast(healthy_activation_rate as {{ integration_adoption.type_double() }})
            as healthy_activation_rate,
        cast(healthy_retention_90d_rate as {{ integration_adoption.type_double() }})
            as healthy_retention_90d_rate,
        cast({{ var('funnel_verdict_min_observable') }} as {{ dbt.type_bigint() }})
            as verdict_min_observable_connections,

        ---------- dates
        case
            when install_cohort != 'all' then cast(install_cohort as date)
        end as cohort_start_date,
        as_of_date
    from diagnosed
)

select * from final
