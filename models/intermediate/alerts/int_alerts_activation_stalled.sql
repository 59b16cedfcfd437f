-- activation_stalled (metric-definitions §7): a connection with no work event
-- by its installed date + `activation_stalled_days`, not uninstalled by then.
-- It fires once per connection, on that day. One row per firing, in the
-- columns every alert model shares (fct_integration_alerts unions them).
{%- set stalled_date = integration_adoption.add_days(var('activation_stalled_days'), 'lifecycle.installed_date') %}
with

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

final as (
    select
        ---------- ids
        cast(lifecycle.account_id as {{ dbt.type_string() }}) as account_id,
        cast(lifecycle.connection_id as {{ dbt.type_string() }}) as connection_id,
        cast(lifecycle.integration_key as {{ dbt.type_string() }}) as integration_key,

        ---------- strings
        cast('activation_stalled' as {{ dbt.type_string() }}) as alert_type,
        cast('days_since_install' as {{ dbt.type_string() }}) as evidence_metric,

        ---------- numerics
        cast({{ var('activation_stalled_days') }} as {{ integration_adoption.type_double() }})
            as evidence_value,
        cast({{ var('activation_stalled_days') }} as {{ integration_adoption.type_double() }})
            as threshold_value,

        ---------- dates
        {{ stalled_date }} as fired_date,
        cast(null as date) as projected_limit_date,
        as_of.as_of_date
    from lifecycle
    cross join as_of
    where
        {{ stalled_date }} <= as_of.as_of_date
        -- no work event in [installed date, d]
        and (lifecycle.activated_date is null or lifecycle.activated_date > {{ stalled_date }})
        -- not uninstalled by d
        and (lifecycle.uninstalled_date is null or lifecycle.uninstalled_date > {{ stalled_date }})
)

select * from final
