-- expansion_ready (metric-definitions §7): the distinct integrations with an
-- active connection reach `expansion_ready_integrations` for an account. It
-- fires once per account, on the first such day. One row per firing, in the
-- columns every alert model shares (fct_integration_alerts unions them).
-- Counted over spell edges (+1 where an active run starts, −1 the day after
-- it ends), never over account × day.
with

active_spells as (
    select * from {{ ref('int_connection_state_spells') }}
    where state = 'active'
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

integration_edges as (
    -- active runs per account and integration (re-installs may overlap)
    select
        account_id,
        integration_key,
        valid_from as edge_date,
        1 as delta
    from active_spells
    union all
    select
        account_id,
        integration_key,
        {{ integration_adoption.add_days(1, 'valid_to') }} as edge_date,
        -1 as delta
    from active_spells
),

integration_running as (
    select
        account_id,
        integration_key,
        edge_date,
        sum(delta) as delta,
        sum(sum(delta)) over (
            partition by account_id, integration_key
            order by edge_date
            rows between unbounded preceding and current row
        ) as active_connections
    from integration_edges
    group by account_id, integration_key, edge_date
),

integration_changes as (
    -- +1 when an integration becomes active for the account, −1 when it stops; the
    -- edge before had this edge's count less its delta (one row per edge: no second sort)
    select
        account_id,
        edge_date,
        case when active_connections > 0 then 1 else -1 end as delta
    from integration_running
    where (active_connections > 0) != (active_connections - delta > 0)
),

distinct_running as (
    select
        account_id,
        edge_date,
        sum(sum(delta)) over (
            partition by account_id
            order by edge_date
            rows between unbounded preceding and current row
        ) as active_integrations
    from integration_changes
    group by account_id, edge_date
),

first_ready as (
    select
        account_id,
        min(edge_date) as fired_date,
        min(active_integrations) as active_integrations
    from distinct_running
    where active_integrations >= {{ var('expansion_ready_integrations') }}
    group by account_id
),

final as (
    select
        ---------- ids
        cast(first_ready.account_id as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as connection_id,
        cast(null as {{ dbt.type_string() }}) as integration_key,

        ---------- strings
        cast('expansion_ready' as {{ dbt.type_string() }}) as alert_type,
        cast('active_integrations' as {{ dbt.type_string() }}) as evidence_metric,

        ---------- numerics
        cast(first_ready.active_integrations as {{ integration_adoption.type_double() }}) as evidence_value,
        cast({{ var('expansion_ready_integrations') }} as {{ integration_adoption.type_double() }})
            as threshold_value,

        ---------- dates
        first_ready.fired_date,
        cast(null as date) as projected_limit_date,
        as_of.as_of_date
    from first_ready
    cross join as_of
)

select * from final
