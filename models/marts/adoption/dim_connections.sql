-- One row per connection: who owns it, which integration, its key dates and
-- its state on the as-of date (metric-definitions §3).
with

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

current_spells as (
    select * from {{ ref('int_connection_state_spells') }}
    where is_current
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

final as (
    select
        ---------- ids
        cast(lifecycle.connection_id as {{ dbt.type_string() }}) as connection_id,
        cast(lifecycle.account_id as {{ dbt.type_string() }}) as account_id,
        cast(lifecycle.integration_key as {{ dbt.type_string() }}) as integration_key,

        ---------- strings
        cast(lifecycle.integration_category as {{ dbt.type_string() }}) as integration_category,
        cast(accounts.segment as {{ dbt.type_string() }}) as segment,
        cast(current_spells.state as {{ dbt.type_string() }}) as current_state,
        cast(current_spells.transition as {{ dbt.type_string() }}) as current_state_transition,

        ---------- numerics
        cast(lifecycle.install_sequence as {{ dbt.type_int() }}) as install_sequence,
        cast(lifecycle.event_count as {{ dbt.type_bigint() }}) as event_count,
        cast(lifecycle.work_event_count as {{ dbt.type_bigint() }}) as work_event_count,
        cast(lifecycle.failure_event_count as {{ dbt.type_bigint() }}) as failure_event_count,
        cast(lifecycle.time_to_first_value_seconds as {{ dbt.type_bigint() }})
            as time_to_first_value_seconds,

        ---------- booleans
        lifecycle.is_install_inferred,
        lifecycle.is_ever_activated,
        lifecycle.is_uninstalled,
        lifecycle.install_sequence > 1 as is_reinstall,

        ---------- dates
        lifecycle.installed_date,
        lifecycle.activated_date,
        lifecycle.last_work_date,
        lifecycle.last_failure_date,
        lifecycle.uninstalled_date,
        current_spells.valid_from as current_state_since_date,
        lifecycle.as_of_date,

        ---------- timestamps
        lifecycle.installed_at,
        lifecycle.setup_completed_at,
        lifecycle.activated_at,
        lifecycle.last_work_at,
        lifecycle.last_failure_at,
        lifecycle.uninstalled_at
    from lifecycle
    inner join current_spells
        on lifecycle.connection_id = current_spells.connection_id
    inner join accounts
        on lifecycle.account_id = accounts.account_id
)

select * from final
