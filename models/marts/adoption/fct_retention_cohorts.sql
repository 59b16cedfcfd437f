-- Retention by activation cohort (metric-definitions §5): the counts of
-- int_retention_cohort_counts (integration × activation month × period grain
-- × period k), plus an all-cohorts row per integration, grain and period that
-- pools only the observable members of each cohort, with the two rates, and
-- the monthly curve's shape on the all-cohorts rows.
with

counts as (
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
    from counts
    group by integration_key, period_grain, period_number
),

rates as (
    select
        unioned.*,
        {{ integration_adoption.safe_divide('retained_connections', 'observable_connections') }}
            as retention_rate,
        {{ integration_adoption.safe_divide('retained_or_after_connections', 'observable_connections') }}
            as unbounded_retention_rate
    from (
        select * from counts
        union all
        select * from all_cohorts
    ) as unioned
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
