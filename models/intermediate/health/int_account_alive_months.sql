{{ config(materialized='table') }}
-- Whether an account is alive in each month (metric-definitions §6), the one
-- definition int_account_scored_days and the stale-score check of
-- fct_account_health_daily both read: MRR > 0 in the month, or no billing
-- rows at all. Billing lands after its month ends, so a month later than the
-- latest billed one takes the account's status in that latest month. Each
-- installing account, every month from its first install's to the as-of
-- date's: the months its health inputs hold. A table rebuilt every run (a
-- billing change to any month is seen), read by the views and the check
-- many times over. Cost: installing accounts × their months.
with

first_installs as (
    select
        account_id,
        cast({{ dbt.date_trunc('month', 'min(installed_date)') }} as date) as first_month_date,
        max(as_of_date) as as_of_date
    from {{ ref('int_connections_lifecycle') }}
    group by account_id
),

monthly as (
    select * from {{ ref('stg_product__account_monthly') }}
),

bounds as (
    select
        min(first_month_date) as first_date,
        max(as_of_date) as last_date
    from first_installs
),

spine as (
    {{ integration_adoption.date_spine('bounds', 'first_date', 'last_date') }}
),

months as (
    select date_day as month_start_date
    from spine
    where cast({{ dbt.date_trunc('month', 'date_day') }} as date) = date_day
),

account_months as (
    select
        first_installs.account_id,
        months.month_start_date
    from first_installs
    inner join months
        on first_installs.first_month_date <= months.month_start_date
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
        account_months.account_id,

        ---------- booleans
        (billed_accounts.account_id is null or paying_months.account_id is not null) as is_alive,

        ---------- dates
        account_months.month_start_date
    from account_months
    cross join billed_through
    left join billed_accounts
        on account_months.account_id = billed_accounts.account_id
    left join paying_months
        on
            account_months.account_id = paying_months.account_id
            and least(account_months.month_start_date, billed_through.month_start_date)
            = paying_months.month_start_date
)

select * from final
