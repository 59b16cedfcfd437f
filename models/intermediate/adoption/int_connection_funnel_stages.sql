-- One row per connection: its adoption-funnel stages and whether each stage
-- is observable yet (metric-definitions §4). A stage that is not observable
-- is left out of that stage's numerator and denominator downstream.
with

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

active_spells as (
    select * from {{ ref('int_connection_state_spells') }}
    where state = 'active'
),

windows as (
    select
        lifecycle.*,
        {{ integration_adoption.add_days('lifecycle.conversion_window_days', 'lifecycle.installed_date') }}
            as conversion_window_end_date,
        coalesce(
            {{ dbt.datediff('lifecycle.installed_date', 'lifecycle.setup_completed_date', 'day') }}
            <= lifecycle.conversion_window_days,
            false
        ) as is_setup_completed,
        coalesce(
            {{ dbt.datediff('lifecycle.installed_date', 'lifecycle.activated_date', 'day') }}
            <= lifecycle.conversion_window_days,
            false
        ) as is_activated,
        {{ integration_adoption.add_days(var('retention_30d_days'), 'lifecycle.activated_date') }}
            as retention_30d_date,
        {{ integration_adoption.add_days(var('retention_90d_days'), 'lifecycle.activated_date') }}
            as retention_90d_date
    from lifecycle
),

observability as (
    select
        windows.*,
        windows.conversion_window_end_date <= windows.as_of_date as is_conversion_observable,
        -- counted as activated: activated within the window, and the window is over
        windows.is_activated
        and windows.conversion_window_end_date <= windows.as_of_date as is_counted_activated
    from windows
),

final as (
    select
        ---------- ids
        observability.connection_id,
        observability.account_id,
        observability.integration_key,

        ---------- strings
        observability.integration_category,

        ---------- numerics
        observability.conversion_window_days,
        observability.install_sequence,
        observability.time_to_first_value_seconds,
        observability.time_to_first_value_days,

        ---------- booleans
        observability.is_install_inferred,
        observability.is_ever_activated,
        observability.is_uninstalled,
        observability.is_setup_completed,
        observability.is_conversion_observable as is_setup_observable,
        observability.is_activated,
        observability.is_conversion_observable as is_activation_observable,
        observability.is_counted_activated,
        observability.is_counted_activated
        and observability.retention_30d_date <= observability.as_of_date
            as is_retained_30d_observable,
        observability.is_counted_activated
        and observability.retention_30d_date <= observability.as_of_date
        and active_30d.connection_id is not null as is_retained_30d,
        observability.is_counted_activated
        and observability.retention_90d_date <= observability.as_of_date
            as is_retained_90d_observable,
        observability.is_counted_activated
        and observability.retention_90d_date <= observability.as_of_date
        and active_90d.connection_id is not null as is_retained_90d,

        ---------- dates
        observability.installed_date,
        cast({{ dbt.date_trunc('week', 'observability.installed_date') }} as date)
            as install_week_date,
        cast({{ dbt.date_trunc('month', 'observability.installed_date') }} as date)
            as install_month_date,
        observability.setup_completed_date,
        observability.activated_date,
        observability.uninstalled_date,
        observability.conversion_window_end_date,
        observability.retention_30d_date,
        observability.retention_90d_date,
        observability.as_of_date
    from observability
    left join active_spells as active_30d
        on
            observability.connection_id = active_30d.connection_id
            and observability.retention_30d_date
            between active_30d.valid_from and active_30d.valid_to
    left join active_spells as active_90d
        on
            observability.connection_id = active_90d.connection_id
            and observability.retention_90d_date
            between active_90d.valid_from and active_90d.valid_to
)

select * from final
