-- Retention counts and rates by activation cohort (metric-definitions §5):
-- integration × activation month × period grain (week, month) × period k,
-- plus an all-cohorts row per integration, grain and period that pools only
-- the observable members of each cohort. fct_retention_cohorts adds the
-- monthly curve's shape.
-- A member's k-th observation day is activated_date + 7k days (week) or + k
-- calendar months (month), rising with k. So the periods a member is
-- observable in (observation day by the as-of date), retained or after in
-- (by its last active day) and retained in (inside one of its active spells,
-- which never overlap) are each one range of k, found from the dates. Each
-- range adds +1 at its first k and -1 after its last, and a running sum over
-- k gives the counts: the cost grows with connections and active spells,
-- not with connections × periods.
{%- set week_floor = "cast(floor(" ~ dbt.datediff('members.activated_date', '{day}', 'day') ~ " / 7.0) as " ~ dbt.type_int() ~ ")" %}
{%- set week_ceil = "cast(ceil(" ~ dbt.datediff('members.activated_date', '{day}', 'day') ~ " / 7.0) as " ~ dbt.type_int() ~ ")" %}
{%- set months_to = dbt.datediff(dbt.date_trunc('month', 'members.activated_date'), dbt.date_trunc('month', '{day}'), 'month') %}
{%- set month_at = "cast(" ~ dbt.dateadd('month', months_to, 'members.activated_date') ~ " as date)" %}
{#- the last period whose observation day is on or before {day}, and the first on or after it -#}
{%- set last_period_by = "case when members.period_grain = 'week' then " ~ week_floor
    ~ " when " ~ month_at ~ " <= {day} then " ~ months_to ~ " else " ~ months_to ~ " - 1 end" %}
{%- set first_period_from = "case when members.period_grain = 'week' then " ~ week_ceil
    ~ " when " ~ month_at ~ " >= {day} then " ~ months_to ~ " else " ~ months_to ~ " + 1 end" %}
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

grains as (
    select
        period_grain,
        max(period_number) as last_period
    from periods
    group by period_grain
),

last_active as (
    select
        connection_id,
        max(valid_to) as last_active_date
    from active_spells
    group by connection_id
),

members as (
    -- each activated connection once per grain
    select
        lifecycle.connection_id,
        lifecycle.integration_key,
        cast({{ dbt.date_trunc('month', 'lifecycle.activated_date') }} as date) as cohort_start_date,
        lifecycle.activated_date,
        lifecycle.as_of_date,
        last_active.last_active_date,
        grains.period_grain,
        grains.last_period
    from lifecycle
    cross join grains
    left join last_active
        on lifecycle.connection_id = last_active.connection_id
),

member_ends as (
    -- the last period observable by the as-of date, and by the last active day
    select
        members.integration_key,
        members.cohort_start_date,
        members.period_grain,
        members.last_period,
        {{ last_period_by | replace('{day}', 'members.as_of_date') }} as observable_until,
        case
            when members.last_active_date is not null
                then {{ last_period_by | replace('{day}', 'members.last_active_date') }}
        end as active_until
    from members
),

spell_periods as (
    -- the periods whose observation day falls in an active spell
    select
        members.integration_key,
        members.cohort_start_date,
        members.period_grain,
        members.last_period,
        {{ first_period_from | replace('{day}', 'active_spells.valid_from') }} as from_period,
        {{ last_period_by | replace('{day}', 'active_spells.valid_to') }} as until_period
    from members
    inner join active_spells
        on members.connection_id = active_spells.connection_id
),

period_ranges as (
    -- each count's range of periods for one member (or spell), within 0..last
    select
        integration_key,
        cohort_start_date,
        period_grain,
        'observable' as measure,
        0 as from_period,
        case when observable_until < last_period then observable_until else last_period end as until_period
    from member_ends
    union all
    select
        integration_key,
        cohort_start_date,
        period_grain,
        'retained_or_after' as measure,
        0 as from_period,
        -- on or after the observation day, and observable
        case
            when active_until <= observable_until and active_until <= last_period then active_until
            when observable_until <= last_period then observable_until
            else last_period
        end as until_period
    from member_ends
    where active_until is not null
    union all
    select
        integration_key,
        cohort_start_date,
        period_grain,
        'retained' as measure,
        case when from_period > 0 then from_period else 0 end as from_period,
        case when until_period < last_period then until_period else last_period end as until_period
    from spell_periods
),

range_edges as (
    -- +1 on a range's first period, -1 on the one after its last
    select
        integration_key,
        cohort_start_date,
        period_grain,
        measure,
        from_period as period_number,
        1 as step
    from period_ranges
    where from_period <= until_period
    union all
    select
        integration_key,
        cohort_start_date,
        period_grain,
        measure,
        until_period + 1 as period_number,
        -1 as step
    from period_ranges
    where from_period <= until_period
),

changes as (
    select
        integration_key,
        cohort_start_date,
        period_grain,
        period_number,
        sum(case when measure = 'observable' then step else 0 end) as observable_change,
        sum(case when measure = 'retained' then step else 0 end) as retained_change,
        sum(case when measure = 'retained_or_after' then step else 0 end) as retained_or_after_change
    from range_edges
    group by integration_key, cohort_start_date, period_grain, period_number
),

cohorts as (
    select
        integration_key,
        cast({{ dbt.date_trunc('month', 'activated_date') }} as date) as cohort_start_date,
        max(as_of_date) as as_of_date,
        count(*) as cohort_size
    from lifecycle
    group by integration_key, cast({{ dbt.date_trunc('month', 'activated_date') }} as date)
),

per_cohort as (
    -- every cohort at every period: the running sums of the changes up to k
    select
        cohorts.integration_key,
        periods.period_grain,
        periods.period_number,
        cast(cohorts.cohort_start_date as {{ dbt.type_string() }}) as activation_cohort,
        cohorts.cohort_start_date,
        cohorts.as_of_date,
        cohorts.cohort_size,
        sum(coalesce(changes.observable_change, 0)) over (
            partition by cohorts.integration_key, cohorts.cohort_start_date, periods.period_grain
            order by periods.period_number
            rows between unbounded preceding and current row
        ) as observable_connections,
        sum(coalesce(changes.retained_change, 0)) over (
            partition by cohorts.integration_key, cohorts.cohort_start_date, periods.period_grain
            order by periods.period_number
            rows between unbounded preceding and current row
        ) as retained_connections,
        sum(coalesce(changes.retained_or_after_change, 0)) over (
            partition by cohorts.integration_key, cohorts.cohort_start_date, periods.period_grain
            order by periods.period_number
            rows between unbounded preceding and current row
        ) as retained_or_after_connections
    from cohorts
    cross join periods
    left join changes
        on
            cohorts.integration_key = changes.integration_key
            and cohorts.cohort_start_date = changes.cohort_start_date
            and periods.period_grain = changes.period_grain
            and periods.period_number = changes.period_number
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
