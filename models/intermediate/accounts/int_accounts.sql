-- Every account the marts can meet: the accounts table, plus accounts seen
-- only in events (account data lags; metric-definitions §2), whose attributes
-- are `unknown`. With the current plan and MRR from billing, and each
-- account's count of events in int_connection_events_unioned.
with

accounts as (
    select * from {{ ref('stg_product__accounts') }}
),

monthly as (
    select * from {{ ref('stg_product__account_monthly') }}
),

-- the account's events of the union: the connection-days count those up to
-- the uninstall, the union's flag finds the few after it (100 M events: a
-- count of every union event 3.7 s, these two reads 1.6 s)
connection_days as (
    select * from {{ ref('int_connection_activity_daily') }}
),

after_uninstall_events as (
    select * from {{ ref('int_connection_events_unioned') }}
    where is_after_uninstall
),

-- the as-of date where it is defined (one value over all connections)
as_of as (
    select max(as_of_date) as as_of_date
    from {{ ref('int_connections_lifecycle') }}
),

account_event_days as (
    select
        account_id,
        activity_date as event_date,
        event_count
    from connection_days
    union all
    select
        account_id,
        event_date,
        1 as event_count
    from after_uninstall_events
),

event_accounts as (
    select
        account_id,
        min(event_date) as first_event_date,
        cast(sum(event_count) as {{ dbt.type_bigint() }}) as event_count
    from account_event_days
    group by account_id
),

latest_month as (
    select
        monthly.account_id,
        monthly.plan,
        monthly.mrr,
        monthly.is_paying,
        monthly.month_start_date,
        row_number() over (
            partition by monthly.account_id
            order by monthly.month_start_date desc
        ) as recency_rank
    from monthly
    cross join as_of
    where monthly.month_start_date <= as_of.as_of_date
),

all_accounts as (
    select account_id from accounts
    union
    select account_id from event_accounts
),

final as (
    select
        ---------- ids
        all_accounts.account_id,

        ---------- strings
        coalesce(accounts.segment, 'unknown') as segment,
        coalesce(accounts.industry, 'unknown') as industry,
        coalesce(accounts.country, 'unknown') as country,
        case
            {%- set cuts = var('employee_band_cuts') %}
            when accounts.employee_count is null then 'unknown'
            when accounts.employee_count < {{ cuts[0] }} then '<{{ cuts[0] }}'
            {%- for cut in cuts[1:] %}
                when accounts.employee_count < {{ cut }} then '{{ cuts[loop.index0] }}-{{ cut - 1 }}'
            {%- endfor %}
            else '{{ cuts[-1] }}+'
        end as size_band,
        coalesce(latest_month.plan, 'unknown') as current_plan,

        ---------- numerics
        accounts.employee_count,
        latest_month.mrr as current_mrr,
        coalesce(event_accounts.event_count, 0) as event_count,

        ---------- booleans
        accounts.account_id is not null as is_known_account,
        coalesce(latest_month.is_paying, false) as is_paying,

        ---------- dates
        accounts.created_date,
        event_accounts.first_event_date,
        latest_month.month_start_date as latest_billing_month_date
    from all_accounts
    left join accounts
        on all_accounts.account_id = accounts.account_id
    left join event_accounts
        on all_accounts.account_id = event_accounts.account_id
    left join latest_month
        on
            all_accounts.account_id = latest_month.account_id
            and latest_month.recency_rank = 1
)

select * from final
