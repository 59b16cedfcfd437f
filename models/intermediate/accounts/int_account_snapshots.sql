-- The §8 snapshot: every account alive at T0 (MRR > 0 in T0's month) × every
-- integration, with the account's attributes at T0, its adoption status of
-- the integration at T0 and its outcomes over (T0, T0 + H]. Nothing after T0
-- enters the attributes or the status, so nothing is measured with hindsight.
with

monthly as (
    select * from {{ ref('stg_product__account_monthly') }}
),

accounts as (
    select * from {{ ref('stg_product__accounts') }}
),

integrations as (
    select integration_key from {{ ref('integration_catalog') }}
),

connections as (
    select * from {{ ref('int_connections_lifecycle') }}
),

spells as (
    select * from {{ ref('int_connection_state_spells') }}
    where state = 'active'
),

feature_spells as (
    select * from {{ ref('int_connection_feature_spells') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

-- the last complete month of account_monthly: the latest billing month that
-- ends on or before the as-of date
last_complete_month as (
    select max(monthly.month_start_date) as last_complete_month_date
    from monthly
    cross join as_of
    where
        cast({{ dbt.dateadd('month', 1, 'monthly.month_start_date') }} as date)
        <= {{ integration_adoption.add_days(1, 'as_of.as_of_date') }}
),

snapshot_dates as (
    select
        cast({{ dbt.dateadd(
            'month',
            -var('impact_t0_months_before_last_complete'),
            'last_complete_month_date'
        ) }} as date) as t0_date,
        last_complete_month_date
    from last_complete_month
),

windows as (
    select
        t0_date,
        {{ integration_adoption.add_days(-1, 't0_date') }} as t0_eve_date,
        cast({{ dbt.dateadd('month', var('impact_horizon_months'), 't0_date') }} as date)
            as outcome_month_date,
        last_complete_month_date
    from snapshot_dates
),

alive as (
    select
        monthly.account_id,
        monthly.plan,
        monthly.mrr as mrr_at_t0
    from monthly
    inner join windows
        on monthly.month_start_date = windows.t0_date
    where monthly.mrr > 0
),

at_horizon as (
    select
        monthly.account_id,
        monthly.mrr as mrr_at_horizon
    from monthly
    inner join windows
        on monthly.month_start_date = windows.outcome_month_date
),

-- connections of alive accounts installed before T0; active on T0 − 1 when
-- an active spell covers that day
connections_before_t0 as (
    select
        connections.connection_id,
        connections.account_id,
        connections.integration_key,
        coalesce(connections.activated_date < windows.t0_date, false) as is_activated_before_t0,
        exists(
            select 1
            from spells
            where
                spells.connection_id = connections.connection_id
                and spells.valid_from <= windows.t0_eve_date
                and spells.valid_to >= windows.t0_eve_date
        ) as is_active_on_t0_eve
    from connections
    cross join windows
    where connections.installed_date < windows.t0_date
),

-- the sophistication features each connection had in use on T0 − 1 (§6)
connection_sophistication as (
    select
        feature_spells.connection_id,
        feature_spells.features_in_use
    from feature_spells
    cross join windows
    where
        feature_spells.valid_from <= windows.t0_eve_date
        and (feature_spells.valid_to is null or feature_spells.valid_to >= windows.t0_eve_date)
),

adoption as (
    select
        connections_before_t0.account_id,
        connections_before_t0.integration_key,
        count(*) as connections_installed_before_t0,
        sum(
            case when connections_before_t0.is_activated_before_t0 then 1 else 0 end
        ) as connections_activated_before_t0,
        sum(
            case when connections_before_t0.is_active_on_t0_eve then 1 else 0 end
        ) as connections_active_at_t0,
        max(
            case
                when connections_before_t0.is_active_on_t0_eve
                    then coalesce(connection_sophistication.features_in_use, 0)
            end
        ) as features_in_use_at_t0
    from connections_before_t0
    left join connection_sophistication
        on connections_before_t0.connection_id = connection_sophistication.connection_id
    group by connections_before_t0.account_id, connections_before_t0.integration_key
),

final as (
    select
        ---------- ids
        alive.account_id,
        integrations.integration_key,

        ---------- strings
        case
            -- an activated connection active on the day before T0
            when coalesce(adoption.connections_active_at_t0, 0) > 0 then 'treated'
            -- never installed the integration before T0
            when adoption.account_id is null then 'control'
            -- installed, but dormant, failing or never activated at T0
            else 'neither'
        end as adoption_status,
        alive.plan,
        coalesce(accounts.segment, 'unknown') as segment,
        coalesce(accounts.industry, 'unknown') as industry,
        case
            {%- set cuts = var('employee_band_cuts') %}
            when accounts.employee_count is null then 'unknown'
            when accounts.employee_count < {{ cuts[0] }} then '<{{ cuts[0] }}'
            {%- for cut in cuts[1:] %}
                when accounts.employee_count < {{ cut }} then '{{ cuts[loop.index0] }}-{{ cut - 1 }}'
            {%- endfor %}
            else '{{ cuts[-1] }}+'
        end as size_band,

        ---------- numerics
        accounts.employee_count,
        case
            when accounts.created_date is not null
                then greatest({{ dbt.datediff('accounts.created_date', 'windows.t0_date', 'month') }}, 0)
        end as tenure_months,
        cast(alive.mrr_at_t0 as {{ integration_adoption.type_double() }}) as mrr_at_t0,
        cast(coalesce(at_horizon.mrr_at_horizon, 0) as {{ integration_adoption.type_double() }})
            as mrr_at_horizon,
        {{ integration_adoption.safe_divide('coalesce(at_horizon.mrr_at_horizon, 0)', 'alive.mrr_at_t0') }}
            as nrr,
        coalesce(adoption.connections_installed_before_t0, 0) as connections_installed_before_t0,
        coalesce(adoption.connections_activated_before_t0, 0) as connections_activated_before_t0,
        coalesce(adoption.connections_active_at_t0, 0) as connections_active_at_t0,
        adoption.features_in_use_at_t0,

        ---------- booleans
        case
            when coalesce(adoption.connections_active_at_t0, 0) > 0 then true
            when adoption.account_id is null then false
        end as is_treated,
        coalesce(at_horizon.mrr_at_horizon, 0) > 0 as is_retained,
        coalesce(at_horizon.mrr_at_horizon, 0) > alive.mrr_at_t0 as is_expanded,

        ---------- dates
        windows.t0_date,
        windows.outcome_month_date,
        windows.last_complete_month_date,
        accounts.created_date
    from alive
    cross join integrations
    cross join windows
    left join accounts
        on alive.account_id = accounts.account_id
    left join at_horizon
        on alive.account_id = at_horizon.account_id
    left join adoption
        on
            alive.account_id = adoption.account_id
            and integrations.integration_key = adoption.integration_key
)

select * from final
