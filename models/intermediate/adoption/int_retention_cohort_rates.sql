-- Retention counts and rates by activation cohort (metric-definitions §5):
-- integration × activation month × period grain (week, month) × period k,
-- plus an all-cohorts row per integration, grain and period that pools only
-- the observable members of each cohort. fct_retention_cohorts adds the
-- monthly curve's shape. Cost grows with activated connections × periods.
with

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
    where activated_date is not null
),

active_spells as (
    select * from {{ ref('int_connection_state_spells') }}
    where state = 'active'
),

week_numbers as (
    {{ integration_adoption.integer_series(var('retention_weeks') + 1) }}
),

month_numbers as (
    {{ integration_adoption.integer_series(var('retention_months') + 1) }}
),

periods as (
    select
        'week' as period_grain,
        generated_number - 1 as period_number
    from week_numbers
    union all
    select
        'month' as period_grain,
        generated_number - 1 as period_number
    from month_numbers
),

last_active as (
    select
        connection_id,
        max(valid_to) as last_active_date
    from active_spells
    group by connection_id
),

observations as (
    select
        lifecycle.connection_id,
        lifecycle.integration_key,
        cast({{ dbt.date_trunc('month', 'lifecycle.activated_date') }} as date)
            as cohort_start_date,
        periods.period_grain,
        periods.period_number,
        lifecycle.as_of_date,
        case
            when periods.period_grain = 'week'
                then {{ integration_adoption.add_days('7 * periods.period_number', 'lifecycle.activated_date') }}
            else cast(
                {{ dbt.dateadd('month', 'periods.period_number', 'lifecycle.activated_date') }} as date
            )
        end as observation_date
    from lifecycle
    cross join periods
),

observed as (
    select
        observations.*,
        observations.observation_date <= observations.as_of_date as is_observable,
        observations.observation_date <= observations.as_of_date
        and active_on_day.connection_id is not null as is_retained,
        observations.observation_date <= observations.as_of_date
        and coalesce(last_active.last_active_date >= observations.observation_date, false)
            as is_retained_or_after
    from observations
    left join active_spells as active_on_day
        on
            observations.connection_id = active_on_day.connection_id
            and observations.observation_date
            between active_on_day.valid_from and active_on_day.valid_to
    left join last_active
        on observations.connection_id = last_active.connection_id
),

per_cohort as (
    select
        integration_key,
        period_grain,
        period_number,
        cast(cohort_start_date as {{ dbt.type_string() }}) as activation_cohort,
        cohort_start_date,
        max(as_of_date) as as_of_date,
        count(*) as cohort_size,
        sum(case when is_observable then 1 else 0 end) as observable_connections,
        sum(case when is_retained then 1 else 0 end) as retained_connections,
        sum(case when is_retained_or_after then 1 else 0 end) as retained_or_after_connections
    from observed
    group by integration_key, period_grain, period_number, cohort_start_date
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
        unioned.*,
        {{ integration_adoption.safe_divide('retained_connections', 'observable_connections') }}
            as retention_rate,
        {{ integration_adoption.safe_divide('retained_or_after_connections', 'observable_connections') }}
            as unbounded_retention_rate
    from unioned
)

select * from final
