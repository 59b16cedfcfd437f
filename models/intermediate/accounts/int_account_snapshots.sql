-- The §8 snapshots: at every T0 of int_account_snapshot_dates, every
-- account alive at T0 (MRR > 0 in T0's month) × every integration, with the account's attributes at T0, its adoption status of
-- the integration at T0 (from int_account_adoption_at_t0) and its outcomes
-- over (T0, T0 + H]. Nothing after T0 enters the attributes or the status,
-- so nothing is measured with hindsight. The dates: int_account_snapshot_dates.
-- Incremental (replace_groups): every row is selected, and a run writes only
-- the integration × T0 groups whose rows changed (a late billing row, a late
-- event before T0, a new as-of month), which its followers then compute again.
{{ config(**integration_adoption.incremental_by_group_config(
    ['integration_key', 't0_date'], unique_key=['account_id', 'integration_key', 't0_date'])) }}
with

monthly as (
    select * from {{ ref('stg_product__account_monthly') }}
),

accounts as (
    select * from {{ ref('int_accounts') }}
),

integrations as (
    select integration_key from {{ ref('integration_catalog') }}
),

snapshot_dates as (
    select * from {{ ref('int_account_snapshot_dates') }}
),

adoption as (
    select * from {{ ref('int_account_adoption_at_t0') }}
),

alive as (
    select
        monthly.account_id,
        monthly.plan,
        monthly.mrr as mrr_at_t0,
        snapshot_dates.is_default_t0,
        snapshot_dates.t0_date,
        snapshot_dates.outcome_month_date,
        snapshot_dates.last_complete_month_date
    from monthly
    inner join snapshot_dates
        on monthly.month_start_date = snapshot_dates.t0_date
    where monthly.mrr > 0
),

at_horizon as (
    select
        monthly.account_id,
        snapshot_dates.t0_date,
        monthly.mrr as mrr_at_horizon
    from monthly
    inner join snapshot_dates
        on monthly.month_start_date = snapshot_dates.outcome_month_date
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
        -- the band int_accounts cuts at var employee_band_cuts; accounts
        -- neither in the accounts table nor in events have no count
        coalesce(accounts.size_band, 'unknown') as size_band,

        ---------- numerics
        accounts.employee_count,
        case
            when accounts.created_date is not null
                then greatest({{ dbt.datediff('accounts.created_date', 'alive.t0_date', 'month') }}, 0)
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
        alive.is_default_t0,

        ---------- dates
        alive.t0_date,
        alive.outcome_month_date,
        alive.last_complete_month_date,
        accounts.created_date
    from alive
    cross join integrations
    left join accounts
        on alive.account_id = accounts.account_id
    left join at_horizon
        on
            alive.account_id = at_horizon.account_id
            and alive.t0_date = at_horizon.t0_date
    left join adoption
        on
            alive.account_id = adoption.account_id
            and integrations.integration_key = adoption.integration_key
            and alive.t0_date = adoption.t0_date
)

select * from final
