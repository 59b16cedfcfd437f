-- Right-censoring (metric-definitions §4): a connection whose conversion
-- window is not over by the as-of date is in no activation or setup
-- denominator. Counted here from the lifecycle, independently of the funnel
-- models, and compared with the funnel's all-cohorts, all-segments rows.
with

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

funnel as (
    select * from {{ ref('fct_integration_funnel') }}
    where install_cohort = 'all' and segment = 'all' and integration_key != 'all'
),

censored as (
    select
        integration_key,
        count(*) as installed,
        sum(
            case
                when
                    {{ integration_adoption.add_days('conversion_window_days', 'installed_date') }}
                    > as_of_date then 1
                else 0
            end
        ) as censored
    from lifecycle
    group by integration_key
)

select
    funnel.integration_key,
    funnel.cohort_grain,
    funnel.installed_connections,
    funnel.activation_observable_connections,
    funnel.setup_observable_connections,
    censored.installed,
    censored.censored
from funnel
left join censored
    on funnel.integration_key = censored.integration_key
where
    censored.integration_key is null
    or funnel.installed_connections != censored.installed
    or funnel.activation_observable_connections != censored.installed - censored.censored
    or funnel.setup_observable_connections != censored.installed - censored.censored
