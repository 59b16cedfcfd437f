-- api_limit_proximity (metric-definitions §7): an account's month-to-date API
-- calls reach `api_limit_proximity_share` of its plan's monthly limit. It
-- fires at most once per account and month, on the first day they do. One
-- row per firing, in the columns every alert model shares
-- (fct_integration_alerts unions them).
{%- set month_start = 'cast(' ~ dbt.date_trunc('month', 'activity_date') ~ ' as date)' %}
{#- the day the month-to-date daily mean reaches the limit -#}
{%- set projected_date = integration_adoption.add_days(
    'cast(ceiling(first_crossings.api_calls_per_month * first_crossings.days_elapsed * 1.0'
    ~ ' / first_crossings.api_calls_month_to_date) as integer) - 1',
    'first_crossings.month_start_date') %}
with

account_activity as (
    select * from {{ ref('int_account_activity_daily') }}
),

monthly as (
    select * from {{ ref('stg_product__account_monthly') }}
),

plan_limits as (
    select * from {{ ref('plan_limits') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

month_calls as (
    select
        account_id,
        {{ month_start }} as month_start_date,
        sum(api_calls) as api_calls
    from account_activity
    group by account_id, {{ month_start }}
),

crossing_months as (
    -- the months whose calls reach the share by their end: daily calls are
    -- counts (never negative, §2), so only these have a day that reaches it
    select
        month_calls.account_id,
        month_calls.month_start_date,
        plan_limits.api_calls_per_month
    from month_calls
    inner join monthly
        on
            month_calls.account_id = monthly.account_id
            and month_calls.month_start_date = monthly.month_start_date
    inner join plan_limits
        on monthly.plan = plan_limits.plan
    where month_calls.api_calls >= {{ var('api_limit_proximity_share') }} * plan_limits.api_calls_per_month
),

account_days as (
    select
        account_activity.account_id,
        account_activity.activity_date,
        crossing_months.month_start_date,
        account_activity.api_calls,
        crossing_months.api_calls_per_month
    from account_activity
    inner join crossing_months
        on
            account_activity.account_id = crossing_months.account_id
            and cast({{ dbt.date_trunc('month', 'account_activity.activity_date') }} as date)
            = crossing_months.month_start_date
),

month_to_date as (
    select
        *,
        sum(api_calls) over (
            partition by account_id, month_start_date
            order by activity_date
            rows between unbounded preceding and current row
        ) as api_calls_month_to_date
    from account_days
),

first_crossings as (
    select
        *,
        row_number() over (
            partition by account_id, month_start_date
            order by activity_date
        ) as crossing_number,
        -- days elapsed in the month, the firing day included
        {{ dbt.datediff('month_start_date', 'activity_date', 'day') }} + 1 as days_elapsed
    from month_to_date
    where api_calls_month_to_date >= {{ var('api_limit_proximity_share') }} * api_calls_per_month
),

final as (
    select
        ---------- ids
        cast(first_crossings.account_id as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as connection_id,
        cast(null as {{ dbt.type_string() }}) as integration_key,

        ---------- strings
        cast('api_limit_proximity' as {{ dbt.type_string() }}) as alert_type,
        cast('api_calls_month_to_date_share' as {{ dbt.type_string() }}) as evidence_metric,

        ---------- numerics
        cast(first_crossings.api_calls_month_to_date as {{ integration_adoption.type_double() }})
        / first_crossings.api_calls_per_month as evidence_value,
        cast({{ var('api_limit_proximity_share') }} as {{ integration_adoption.type_double() }})
            as threshold_value,

        ---------- dates
        first_crossings.activity_date as fired_date,
        -- null when it falls after the month's end
        case
            when
                {{ projected_date }}
                < cast({{ dbt.dateadd('month', 1, 'first_crossings.month_start_date') }} as date)
                then {{ projected_date }}
        end as projected_limit_date,
        as_of.as_of_date
    from first_crossings
    cross join as_of
    where
        first_crossings.crossing_number = 1
        and first_crossings.activity_date <= as_of.as_of_date
)

select * from final
