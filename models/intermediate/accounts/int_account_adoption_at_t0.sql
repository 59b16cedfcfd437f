-- The §8 adoption status inputs at each T0 (int_account_snapshot_dates),
-- per account × integration × T0 with a connection installed before T0: how many were installed and activated
-- before T0, how many were active (§3) on T0 − 1, and the most
-- sophistication features (§6) in use on T0 − 1 on one of the active ones.
-- Cost grows with connections × T0s and their spells.
with

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

snapshot_dates as (
    select * from {{ ref('int_account_snapshot_dates') }}
),

-- connections installed before T0; active on T0 − 1 when an active spell
-- covers that day
connections_before_t0 as (
    select
        connections.connection_id,
        connections.account_id,
        connections.integration_key,
        snapshot_dates.t0_date,
        coalesce(connections.activated_date < snapshot_dates.t0_date, false)
            as is_activated_before_t0,
        exists(
            select 1
            from spells
            where
                spells.connection_id = connections.connection_id
                and spells.valid_from <= snapshot_dates.t0_eve_date
                and spells.valid_to >= snapshot_dates.t0_eve_date
        ) as is_active_on_t0_eve
    from connections
    cross join snapshot_dates
    where connections.installed_date < snapshot_dates.t0_date
),

-- the sophistication features each connection had in use on T0 − 1 (§6)
connection_sophistication as (
    select
        feature_spells.connection_id,
        snapshot_dates.t0_date,
        feature_spells.features_in_use
    from feature_spells
    cross join snapshot_dates
    where
        feature_spells.valid_from <= snapshot_dates.t0_eve_date
        and (
            feature_spells.valid_to is null
            or feature_spells.valid_to >= snapshot_dates.t0_eve_date
        )
),

final as (
    select
        connections_before_t0.account_id,
        connections_before_t0.integration_key,
        count(*) as connections_installed_before_t0,
        count(
            case when connections_before_t0.is_activated_before_t0 then 1 end
        ) as connections_activated_before_t0,
        count(
            case when connections_before_t0.is_active_on_t0_eve then 1 end
        ) as connections_active_at_t0,
        max(
            case
                when connections_before_t0.is_active_on_t0_eve
                    then coalesce(connection_sophistication.features_in_use, 0)
            end
        ) as features_in_use_at_t0,
        connections_before_t0.t0_date
    from connections_before_t0
    left join connection_sophistication
        on
            connections_before_t0.connection_id = connection_sophistication.connection_id
            and connections_before_t0.t0_date = connection_sophistication.t0_date
    group by
        connections_before_t0.account_id,
        connections_before_t0.integration_key,
        connections_before_t0.t0_date
)

select * from final
