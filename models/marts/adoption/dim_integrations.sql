-- One row per integration of the catalog: its configuration and where its
-- connections stand on the as-of date.
with

integration_catalog as (
    select * from {{ ref('integration_catalog') }}
),

connections as (
    select * from {{ ref('dim_connections') }}
),

per_integration as (
    select
        integration_key,
        count(*) as installed_connections,
        sum(case when current_state = 'active' then 1 else 0 end) as active_connections,
        sum(case when current_state = 'failing' then 1 else 0 end) as failing_connections,
        sum(case when current_state = 'dormant' then 1 else 0 end) as dormant_connections,
        sum(case when current_state = 'not_activated' then 1 else 0 end)
            as not_activated_connections,
        sum(case when is_uninstalled then 1 else 0 end) as uninstalled_connections,
        count(distinct account_id) as installing_accounts,
        min(installed_date) as first_installed_date
    from connections
    group by integration_key
),

final as (
    select
        ---------- ids
        cast(integration_catalog.integration_key as {{ dbt.type_string() }}) as integration_key,

        ---------- strings
        cast(integration_catalog.display_name as {{ dbt.type_string() }}) as display_name,
        cast(integration_catalog.category as {{ dbt.type_string() }}) as category,
        cast(integration_catalog.integration_kind as {{ dbt.type_string() }}) as integration_kind,
        cast(integration_catalog.intended_cadence as {{ dbt.type_string() }}) as intended_cadence,

        ---------- numerics
        cast(integration_catalog.active_window_days as {{ dbt.type_int() }}) as active_window_days,
        cast(integration_catalog.conversion_window_days as {{ dbt.type_int() }})
            as conversion_window_days,
        cast(integration_catalog.healthy_activation_rate as {{ integration_adoption.type_double() }})
            as healthy_activation_rate,
        cast(integration_catalog.healthy_retention_90d_rate as {{ integration_adoption.type_double() }})
            as healthy_retention_90d_rate,
        cast(coalesce(per_integration.installed_connections, 0) as {{ dbt.type_bigint() }})
            as installed_connections,
        cast(coalesce(per_integration.active_connections, 0) as {{ dbt.type_bigint() }})
            as active_connections,
        cast(coalesce(per_integration.failing_connections, 0) as {{ dbt.type_bigint() }})
            as failing_connections,
        cast(coalesce(per_integration.dormant_connections, 0) as {{ dbt.type_bigint() }})
            as dormant_connections,
        cast(coalesce(per_integration.not_activated_connections, 0) as {{ dbt.type_bigint() }})
            as not_activated_connections,
        cast(coalesce(per_integration.uninstalled_connections, 0) as {{ dbt.type_bigint() }})
            as uninstalled_connections,
        cast(coalesce(per_integration.installing_accounts, 0) as {{ dbt.type_bigint() }})
            as installing_accounts,

        ---------- dates
        per_integration.first_installed_date
    from integration_catalog
    left join per_integration
        on integration_catalog.integration_key = per_integration.integration_key
)

select * from final
