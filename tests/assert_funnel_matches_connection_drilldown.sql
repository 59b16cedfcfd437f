-- Every number of the funnel can be listed connection by connection: the
-- per-connection drill-down, summed by integration, cohort month and
-- segment, gives the funnel's counts exactly.
with

connections as (
    select * from {{ ref('fct_connection_funnel') }}
),

funnel as (
    select * from {{ ref('fct_integration_funnel') }}
    where
        cohort_grain = 'month'
        and integration_key != 'all'
        and install_cohort != 'all'
        and segment != 'all'
),

summed as (
    select
        integration_key,
        cast(install_month_date as {{ dbt.type_string() }}) as install_cohort,
        segment,
        count(*) as installed,
        sum(case when is_activation_observable then 1 else 0 end) as activation_observable,
        sum(case when is_counted_activated then 1 else 0 end) as activated,
        sum(case when is_retained_30d_observable then 1 else 0 end) as retained_30d_observable,
        sum(case when is_retained_30d then 1 else 0 end) as retained_30d,
        sum(case when is_retained_90d_observable then 1 else 0 end) as retained_90d_observable,
        sum(case when is_retained_90d then 1 else 0 end) as retained_90d
    from connections
    group by integration_key, install_month_date, segment
)

select
    coalesce(summed.integration_key, funnel.integration_key) as integration_key,
    coalesce(summed.install_cohort, funnel.install_cohort) as install_cohort,
    coalesce(summed.segment, funnel.segment) as segment
from summed
full outer join funnel
    on
        summed.integration_key = funnel.integration_key
        and summed.install_cohort = funnel.install_cohort
        and summed.segment = funnel.segment
where
    summed.integration_key is null
    or funnel.integration_key is null
    or summed.installed != funnel.installed_connections
    or summed.activation_observable != funnel.activation_observable_connections
    or summed.activated != funnel.activated_connections
    or summed.retained_30d_observable != funnel.retained_30d_observable_connections
    or summed.retained_30d != funnel.retained_30d_connections
    or summed.retained_90d_observable != funnel.retained_90d_observable_connections
    or summed.retained_90d != funnel.retained_90d_connections
