-- Each account on the as-of date against the other accounts of its segment:
-- integrations in use, volume and health score as percentiles, and the
-- under-adopter / power-user flags customer success acts on.
with

health as (
    select * from {{ ref('fct_account_health_daily') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

current_health as (
    select health.*
    from health
    inner join as_of
        on health.score_date = as_of.as_of_date
),

ranked as (
    select
        *,
        percent_rank() over (partition by segment order by active_integrations)
            as integrations_percentile,
        percent_rank() over (partition by segment order by records_30d) as volume_percentile,
        percent_rank() over (partition by segment order by health_score) as score_percentile,
        count(*) over (partition by segment) as segment_accounts,
        avg(cast(active_integrations as {{ integration_adoption.type_double() }}))
            over (partition by segment) as segment_mean_active_integrations,
        avg(health_score) over (partition by segment) as segment_mean_health_score
    from current_health
),

final as (
    select
        ---------- ids
        cast(account_id as {{ dbt.type_string() }}) as account_id,

        ---------- strings
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(health_band as {{ dbt.type_string() }}) as health_band,

        ---------- numerics
        {%- set double = integration_adoption.type_double() %}
        cast(active_integrations as {{ dbt.type_bigint() }}) as active_integrations,
        cast(records_30d as {{ dbt.type_bigint() }}) as records_30d,
        cast(health_score as {{ double }}) as health_score,
        cast(integrations_percentile as {{ double }}) as integrations_percentile,
        cast(volume_percentile as {{ double }}) as volume_percentile,
        cast(score_percentile as {{ double }}) as score_percentile,
        cast(segment_accounts as {{ dbt.type_bigint() }}) as segment_accounts,
        cast(segment_mean_active_integrations as {{ double }}) as segment_mean_active_integrations,
        cast(segment_mean_health_score as {{ double }}) as segment_mean_health_score,

        ---------- booleans
        integrations_percentile <= {{ var('benchmark_under_adopter_percentile') }} as is_under_adopter,
        integrations_percentile >= {{ var('benchmark_power_user_percentile') }}
        and volume_percentile >= {{ var('benchmark_power_user_percentile') }} as is_power_user,

        ---------- dates
        score_date as as_of_date
    from ranked
)

select * from final
