-- The dates of the §8 snapshots, one row per T0 (§8.1 "Stability over
-- T0"): T0, the day before it, the month whose MRR gives the outcomes
-- (T0 + H) and the last complete month of account_monthly. The default T0
-- is always a row; the earlier T0s step back impact_t0_step_months at a
-- time while at least impact_min_history_months months of account_monthly
-- precede them (T0 − that many months is on or after its first month).
-- int_account_snapshots and int_account_adoption_at_t0 both read it, so
-- both look at the same T0s.
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

default_t0 as (
    select
        cast({{ dbt.dateadd(
            'month',
            -var('impact_t0_months_before_last_complete'),
            'last_complete_month_date'
        ) }} as date) as t0_date,
        last_complete_month_date
    from last_complete_month
),

-- where account_monthly's history starts, and how many months it spans: a
-- bound on the steps back (an earlier T0 lies within the history)
history as (
    select
        min(month_start_date) as first_month_date,
        cast({{ dbt.datediff('min(month_start_date)', 'max(month_start_date)', 'month') }} as {{ dbt.type_int() }})
            as history_months
    from monthly
),

steps as (
    {{ integration_adoption.integer_series('(select history_months from history)') }}
),

-- k steps back from the default T0, k ≥ 1 (Spark's sequence(1, 0) counts
-- down to 0)
earlier_t0s as (
    select
        cast({{ dbt.dateadd(
            'month',
            '-(steps.generated_number * ' ~ var('impact_t0_step_months') ~ ')',
            'default_t0.t0_date'
        ) }} as date) as t0_date,
        default_t0.last_complete_month_date
    from steps
    cross join default_t0
    where steps.generated_number >= 1
),

t0s as (
    select
        t0_date,
        last_complete_month_date,
        true as is_default_t0
    from default_t0
    union all
    select
        earlier_t0s.t0_date,
        earlier_t0s.last_complete_month_date,
        false as is_default_t0
    from earlier_t0s
    cross join history
    where
        cast({{ dbt.dateadd('month', -var('impact_min_history_months'), 'earlier_t0s.t0_date') }} as date)
        >= history.first_month_date
),

final as (
    select
        is_default_t0,
        t0_date,
        {{ integration_adoption.add_days(-1, 't0_date') }} as t0_eve_date,
        cast({{ dbt.dateadd('month', var('impact_horizon_months'), 't0_date') }} as date)
            as outcome_month_date,
        last_complete_month_date
    from t0s
)

select * from final
