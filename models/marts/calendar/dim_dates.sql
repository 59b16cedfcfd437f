-- One row per calendar day the marts can describe: from the first day of the
-- month of the earliest install or billing month to the as-of date. MetricFlow
-- joins metric_time to it (the semantic layer's time spine); BI tools can use
-- it to show days without events.
with

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

account_monthly as (
    select * from {{ ref('stg_product__account_monthly') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

earliest_dates as (
    select min(installed_date) as earliest_date from lifecycle
    union all
    select min(month_start_date) as earliest_date from account_monthly
),

bounds as (
    select
        cast({{ dbt.date_trunc('month', 'min(earliest_dates.earliest_date)') }} as date)
            as first_date,
        min(as_of.as_of_date) as last_date
    from earliest_dates
    cross join as_of
),

spine as (
    {{ integration_adoption.date_spine('bounds', 'first_date', 'last_date') }}
),

final as (
    select
        ---------- dates
        cast(date_day as date) as calendar_date,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start_date,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start_date,
        cast({{ dbt.date_trunc('year', 'date_day') }} as date) as year_start_date
    from spine
)

select * from final
