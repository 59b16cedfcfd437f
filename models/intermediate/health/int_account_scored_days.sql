{{ config(materialized='view') }}
-- Whether an account is scored on each day its health inputs hold
-- (metric-definitions §6): from its first install (the inputs start there),
-- on the days it is alive — MRR > 0 in the day's month, or no billing rows at
-- all. A churned account is not scored; a paying one with no integration in
-- use still is. Billing lands after its month ends, so a month later than the
-- latest billed one takes the account's status in that latest month (the
-- current month is scored before its billing arrives). A view: a billing
-- change to any month is seen on the next read, and the stored scores follow
-- it (drop_stale_account_health_scores). Cost: one pass over the inputs.
with

inputs as (
    select * from {{ ref('int_account_health_inputs') }}
),

monthly as (
    select * from {{ ref('stg_product__account_monthly') }}
),

billed_accounts as (
    select distinct account_id
    from monthly
),

billed_through as (
    select max(month_start_date) as month_start_date
    from monthly
),

paying_months as (
    select distinct
        account_id,
        month_start_date
    from monthly
    where is_paying
),

final as (
    select
        ---------- ids
        inputs.account_id,

        ---------- booleans
        inputs.is_stored,
        (billed_accounts.account_id is null or paying_months.account_id is not null) as is_scored,

        ---------- dates
        inputs.computation_date
    from inputs
    cross join billed_through
    left join billed_accounts
        on inputs.account_id = billed_accounts.account_id
    left join paying_months
        on
            inputs.account_id = paying_months.account_id
            and least(
                cast({{ dbt.date_trunc('month', 'inputs.computation_date') }} as date),
                billed_through.month_start_date
            ) = paying_months.month_start_date
)

select * from final
