-- The dates of the §8 snapshot, one row: T0, the day before it, the month
-- whose MRR gives the outcomes (T0 + H) and the last complete month of
-- account_monthly. int_account_snapshots and int_account_adoption_at_t0
-- both read it, so both look at the same T0.
with

monthly as (
    select * from {{ ref('stg_product__account_monthly') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

-- the last complete month of account_monthly: the latest billing month that
-- ends on or before the as-of date
last_complete_month as (
    select max(monthly.month_start_date) as last_complete_month_date
    from monthly
    cross join as_of
    where
        cast({{ dbt.dateadd('month', 1, 'monthly.month_start_date') }} as date)
        <= {{ integration_adoption.add_days(1, 'as_of.as_of_date') }}
),

snapshot_dates as (
    select
        cast({{ dbt.dateadd(
            'month',
            -var('impact_t0_months_before_last_complete'),
            'last_complete_month_date'
        ) }} as date) as t0_date,
        last_complete_month_date
    from last_complete_month
),

final as (
    select
        t0_date,
        {{ integration_adoption.add_days(-1, 't0_date') }} as t0_eve_date,
        cast({{ dbt.dateadd('month', var('impact_horizon_months'), 't0_date') }} as date)
            as outcome_month_date,
        last_complete_month_date
    from snapshot_dates
)

select * from final
