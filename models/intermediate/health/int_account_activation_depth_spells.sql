-- One row per account per run of days with the same activation depth and
-- sophistication (metric-definitions §6): the distinct integrations and
-- categories with an active connection, and the most features in use on one
-- active connection. They change only where an active spell or a feature
-- spell of one of its connections starts or ends, so those days cut the
-- account's days into runs, each looked up once: the cost grows with spells,
-- not with accounts × days. Days with no active connection have no row
-- (depth 0). valid_to is null for the open run after the last change.
with

active_spells as (
    select * from {{ ref('int_connection_state_spells') }}
    where state = 'active'
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

feature_spells as (
    select
        feature_spells.*,
        lifecycle.account_id
    from {{ ref('int_connection_feature_spells') }} as feature_spells
    inner join lifecycle
        on feature_spells.connection_id = lifecycle.connection_id
),

change_dates as (
    -- where an active spell or a feature spell starts, or the day after it ends
    {%- for relation in ['active_spells', 'feature_spells'] %}
        {%- for day in ['valid_from', integration_adoption.add_days(1, 'valid_to')] %}
            select
                account_id,
                {{ day }} as change_date
            from {{ relation }}
            where {{ day }} is not null
            {%- if not loop.last %} union{% endif %}
        {%- endfor %}
        {%- if not loop.last %} union{% endif %}
    {%- endfor %}
),

runs as (
    select
        account_id,
        change_date as valid_from,
        {{ integration_adoption.add_days(-1, 'lead(change_date) over (partition by account_id order by change_date)') }}
            as valid_to
    from change_dates
),

final as (
    select
        ---------- ids
        runs.account_id,

        ---------- numerics
        count(distinct active_spells.integration_key) as active_integrations,
        count(distinct lifecycle.integration_category) as active_categories,
        max(coalesce(feature_spells.features_in_use, 0)) as max_features_on_active_connection,

        ---------- dates
        runs.valid_from,
        runs.valid_to
    from runs
    inner join active_spells
        on
            runs.account_id = active_spells.account_id
            and runs.valid_from between active_spells.valid_from and active_spells.valid_to
    inner join lifecycle
        on active_spells.connection_id = lifecycle.connection_id
    left join feature_spells
        on
            active_spells.connection_id = feature_spells.connection_id
            and runs.valid_from >= feature_spells.valid_from
            and (feature_spells.valid_to is null or runs.valid_from <= feature_spells.valid_to)
    group by runs.account_id, runs.valid_from, runs.valid_to
)

select * from final
