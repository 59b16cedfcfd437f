-- Retention by activation cohort (metric-definitions §5): integration ×
-- activation month × period grain (week, month) × period k, plus an
-- all-cohorts row per integration, grain and period that pools only the
-- observable members of each cohort; with the monthly curve's shape.
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

rates as (
    select
        unioned.*,
        {{ integration_adoption.safe_divide('retained_connections', 'observable_connections') }}
            as retention_rate,
        {{ integration_adoption.safe_divide('retained_or_after_connections', 'observable_connections') }}
            as unbounded_retention_rate
    from unioned
),

-- curve shape: month grain, all-cohorts row, periods with enough observable
-- connections; the last three steps between consecutive such periods
shape_periods as (
    select
        integration_key,
        period_number,
        retention_rate,
        row_number() over (
            partition by integration_key order by period_number desc
        ) as recency_rank
    from rates
    where
        period_grain = 'month'
        and activation_cohort = 'all'
        and observable_connections >= {{ var('flattening_min_observable') }}
),

shape_steps as (
    select
        integration_key,
        recency_rank,
        retention_rate,
        abs(
            retention_rate
            - lead(retention_rate) over (partition by integration_key order by recency_rank)
        ) as step_change
    from shape_periods
    where recency_rank <= 4
),

curve_shape as (
    select
        integration_key,
        count(*) = 4
        and max(case when recency_rank <= 3 then step_change end)
        < {{ var('flattening_max_step') }} as is_flattening,
        case
            when count(*) >= 3
                then avg(case when recency_rank <= 3 then retention_rate end)
        end as retention_floor
    from shape_steps
    group by integration_key
),

final as (
    select
        ---------- ids
        cast(rates.integration_key as {{ dbt.type_string() }}) as integration_key,

        ---------- strings
        cast(rates.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(rates.activation_cohort as {{ dbt.type_string() }}) as activation_cohort,

        ---------- numerics
        cast(rates.period_number as {{ dbt.type_int() }}) as period_number,
        cast(rates.cohort_size as {{ dbt.type_bigint() }}) as cohort_size,
        cast(rates.observable_connections as {{ dbt.type_bigint() }}) as observable_connections,
        cast(rates.retained_connections as {{ dbt.type_bigint() }}) as retained_connections,
        cast(rates.retained_or_after_connections as {{ dbt.type_bigint() }})
            as retained_or_after_connections,
        cast(rates.retention_rate as {{ integration_adoption.type_double() }}) as retention_rate,
        cast(rates.unbounded_retention_rate as {{ integration_adoption.type_double() }})
            as unbounded_retention_rate,
        cast(
            case
                when rates.period_grain = 'month' and rates.activation_cohort = 'all'
                    then curve_shape.retention_floor
            end as {{ integration_adoption.type_double() }}
        ) as retention_floor,

        ---------- booleans
        case
            when rates.period_grain = 'month' and rates.activation_cohort = 'all'
                then coalesce(curve_shape.is_flattening, false)
        end as is_flattening,

        ---------- dates
        rates.cohort_start_date,
        rates.as_of_date
    from rates
    left join curve_shape
        on rates.integration_key = curve_shape.integration_key
)

select * from final
