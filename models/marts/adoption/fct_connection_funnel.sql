-- One row per connection: its funnel stage flags, observability per stage,
-- time to first value and account attributes — the drill-down behind every
-- number of fct_integration_funnel (metric-definitions §4).
with

stages as (
    select * from {{ ref('int_connection_funnel_stages') }}
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

monthly as (
    select * from {{ ref('stg_product__account_monthly') }}
),

final as (
    select
        ---------- ids
        cast(stages.connection_id as {{ dbt.type_string() }}) as connection_id,
        cast(stages.account_id as {{ dbt.type_string() }}) as account_id,
        cast(stages.integration_key as {{ dbt.type_string() }}) as integration_key,

        ---------- strings
        cast(stages.integration_category as {{ dbt.type_string() }}) as integration_category,
        cast(accounts.segment as {{ dbt.type_string() }}) as segment,
        cast(accounts.industry as {{ dbt.type_string() }}) as industry,
        cast(accounts.size_band as {{ dbt.type_string() }}) as size_band,
        cast(coalesce(monthly.plan, 'unknown') as {{ dbt.type_string() }}) as plan_at_install,

        ---------- numerics
        cast(stages.conversion_window_days as {{ dbt.type_int() }}) as conversion_window_days,
        cast(stages.install_sequence as {{ dbt.type_int() }}) as install_sequence,
        cast(stages.time_to_first_value_seconds as {{ dbt.type_bigint() }})
            as time_to_first_value_seconds,
        cast(stages.time_to_first_value_days as {{ integration_adoption.type_double() }})
            as time_to_first_value_days,

        ---------- booleans
        stages.is_install_inferred,
        stages.is_uninstalled,
        accounts.is_known_account,
        stages.is_setup_observable,
        stages.is_setup_completed,
        stages.is_activation_observable,
        stages.is_activated,
        stages.is_counted_activated,
        stages.is_ever_activated,
        stages.is_retained_30d_observable,
        stages.is_retained_30d,
        stages.is_retained_90d_observable,
        stages.is_retained_90d,

        ---------- dates
        stages.installed_date,
        stages.install_week_date,
        stages.install_month_date,
        stages.setup_completed_date,
        stages.activated_date,
        stages.uninstalled_date,
        stages.conversion_window_end_date,
        stages.as_of_date
    from stages
    inner join accounts
        on stages.account_id = accounts.account_id
    left join monthly
        on
            stages.account_id = monthly.account_id
            and stages.install_month_date = monthly.month_start_date
)

select * from final
