-- Retention counts per activation cohort (metric-definitions §5), integration ×
-- activation month × period grain × period k: cohort size, members observable,
-- retained and retained or after at k (fct_retention_cohorts adds the rates).
-- Each range of k (a member's observable and retained-or-after periods, found
-- by retention_period_at; an active spell's) is +1 where it starts, -1 after.
with

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
    where activated_date is not null
),

active_spells as (
    select * from {{ ref('int_connection_state_spells') }}
    where state = 'active'
),

periods as (
    {{ integration_adoption.retention_periods() }}
),

grains as (
    select distinct period_grain from periods
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
        grains.period_grain
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
        {{ integration_adoption.retention_period_at(
            'members.as_of_date', 'members.activated_date', 'members.period_grain', 'last') }}
            as observable_until,
        {{ integration_adoption.retention_period_at(
            'members.last_active_date', 'members.activated_date', 'members.period_grain', 'last') }}
            as active_until
    from members
),

spell_periods as (
    -- the periods whose observation day falls in an active spell
    select
        members.integration_key,
        members.cohort_start_date,
        members.period_grain,
        {{ integration_adoption.retention_period_at(
            'active_spells.valid_from', 'members.activated_date', 'members.period_grain', 'first') }}
            as from_period,
        {{ integration_adoption.retention_period_at(
            'active_spells.valid_to', 'members.activated_date', 'members.period_grain', 'last') }}
            as until_period
    from members
    inner join active_spells
        on members.connection_id = active_spells.connection_id
),

range_edges as (
    -- +1 where a member's (a spell's) range of periods starts, -1 after it
    -- ends; what lies past the last period falls outside the grid
    select
        integration_key,
        cohort_start_date,
        period_grain,
        0 as period_number,
        1 as observable_step,
        case when active_until >= 0 then 1 else 0 end as retained_or_after_step,
        0 as retained_step
    from member_ends
    where observable_until >= 0
    union all
    select
        integration_key,
        cohort_start_date,
        period_grain,
        observable_until + 1 as period_number,
        -1 as observable_step,
        0 as retained_or_after_step,
        0 as retained_step
    from member_ends
    where observable_until >= 0
    union all
    -- retained or after: on or before the last active day, while observable
    select
        integration_key,
        cohort_start_date,
        period_grain,
        case when active_until < observable_until then active_until else observable_until end + 1
            as period_number,
        0 as observable_step,
        -1 as retained_or_after_step,
        0 as retained_step
    from member_ends
    where active_until >= 0 and observable_until >= 0
    union all
    select
        integration_key,
        cohort_start_date,
        period_grain,
        case when from_period > 0 then from_period else 0 end as period_number,
        0 as observable_step,
        0 as retained_or_after_step,
        1 as retained_step
    from spell_periods
    where from_period <= until_period and until_period >= 0
    union all
    select
        integration_key,
        cohort_start_date,
        period_grain,
        until_period + 1 as period_number,
        0 as observable_step,
        0 as retained_or_after_step,
        -1 as retained_step
    from spell_periods
    where from_period <= until_period and until_period >= 0
),

changes as (
    select
        integration_key,
        cohort_start_date,
        period_grain,
        period_number,
        sum(observable_step) as observable_change,
        sum(retained_step) as retained_change,
        sum(retained_or_after_step) as retained_or_after_change
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

final as (
    -- every cohort at every period: the running sums of the changes up to k
    select
        cohorts.integration_key,
        periods.period_grain,
        periods.period_number,
        cast(cohorts.cohort_start_date as {{ dbt.type_string() }}) as activation_cohort,
        cohorts.cohort_start_date,
        cohorts.as_of_date,
        cohorts.cohort_size,
        cast(sum(coalesce(changes.observable_change, 0)) over up_to_k as {{ dbt.type_bigint() }})
            as observable_connections,
        cast(sum(coalesce(changes.retained_change, 0)) over up_to_k as {{ dbt.type_bigint() }})
            as retained_connections,
        cast(sum(coalesce(changes.retained_or_after_change, 0)) over up_to_k as {{ dbt.type_bigint() }})
            as retained_or_after_connections
    from cohorts
    cross join periods
    left join changes
        on
            cohorts.integration_key = changes.integration_key
            and cohorts.cohort_start_date = changes.cohort_start_date
            and periods.period_grain = changes.period_grain
            and periods.period_number = changes.period_number
    window up_to_k as (
        partition by cohorts.integration_key, cohorts.cohort_start_date, periods.period_grain
        order by periods.period_number
        rows between unbounded preceding and current row
    )
)

select * from final
