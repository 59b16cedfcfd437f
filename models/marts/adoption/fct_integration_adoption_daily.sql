-- Per integration per day: connections installed to date, in each state,
-- uninstalled to date; active and silent-failure rates; usage-rhythm
-- attainment (metric-definitions §3, §5). Counted from spell edges (+1 where
-- a spell starts, −1 the day after it ends), so the cost grows with spells,
-- not with connections × days.
with

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

spells as (
    select * from {{ ref('int_connection_state_spells') }}
),

rhythm as (
    select * from {{ ref('int_connection_rhythm_spells') }}
),

as_of as (
    select as_of_date from {{ ref('int_as_of_date') }}
),

edges as (
    select
        integration_key,
        valid_from as edge_date,
        state as measure,
        1 as delta
    from spells
    union all
    select
        integration_key,
        {{ integration_adoption.add_days(1, 'valid_to') }} as edge_date,
        state as measure,
        -1 as delta
    from spells
    union all
    select
        integration_key,
        valid_from as edge_date,
        'rhythm_met' as measure,
        1 as delta
    from rhythm
    union all
    select
        integration_key,
        {{ integration_adoption.add_days(1, 'valid_to') }} as edge_date,
        'rhythm_met' as measure,
        -1 as delta
    from rhythm
    union all
    select
        integration_key,
        installed_date as edge_date,
        'installed_to_date' as measure,
        1 as delta
    from lifecycle
    union all
    select
        integration_key,
        uninstalled_date as edge_date,
        'uninstalled_to_date' as measure,
        1 as delta
    from lifecycle
    where uninstalled_date is not null
),

daily_edges as (
    select
        integration_key,
        edge_date,
        {%- for measure in ['active', 'failing', 'dormant', 'not_activated', 'uninstalled', 'rhythm_met', 'installed_to_date', 'uninstalled_to_date'] %}
            sum(case when measure = '{{ measure }}' then delta else 0 end) as {{ measure }}_delta
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from edges
    group by integration_key, edge_date
),

bounds as (
    select
        lifecycle.integration_key,
        min(lifecycle.installed_date) as first_date,
        min(as_of.as_of_date) as last_date
    from lifecycle
    cross join as_of
    group by lifecycle.integration_key
),

spine as (
    {{ integration_adoption.date_spine('bounds', 'first_date', 'last_date') }}
),

running as (
    select
        spine.integration_key,
        spine.date_day,
        {%- for measure in ['active', 'failing', 'dormant', 'not_activated', 'uninstalled', 'rhythm_met', 'installed_to_date', 'uninstalled_to_date'] %}
            sum(coalesce(daily_edges.{{ measure }}_delta, 0)) over (
                partition by spine.integration_key
                order by spine.date_day
                rows between unbounded preceding and current row
            ) as {{ measure }}_connections
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from spine
    left join daily_edges
        on
            spine.integration_key = daily_edges.integration_key
            and spine.date_day = daily_edges.edge_date
),

final as (
    select
        ---------- ids
        cast(integration_key as {{ dbt.type_string() }}) as integration_key,

        ---------- numerics
        cast(installed_to_date_connections as {{ dbt.type_bigint() }})
            as installed_to_date_connections,
        cast(
            active_connections + failing_connections + dormant_connections + not_activated_connections
            as {{ dbt.type_bigint() }}
        ) as live_connections,
        cast(active_connections as {{ dbt.type_bigint() }}) as active_connections,
        cast(failing_connections as {{ dbt.type_bigint() }}) as failing_connections,
        cast(dormant_connections as {{ dbt.type_bigint() }}) as dormant_connections,
        cast(not_activated_connections as {{ dbt.type_bigint() }}) as not_activated_connections,
        cast(uninstalled_connections as {{ dbt.type_bigint() }}) as uninstalled_on_day_connections,
        cast(uninstalled_to_date_connections as {{ dbt.type_bigint() }})
            as uninstalled_to_date_connections,
        cast(rhythm_met_connections as {{ dbt.type_bigint() }}) as rhythm_met_connections,
        cast(
            {{ integration_adoption.safe_divide('active_connections',
                'active_connections + failing_connections + dormant_connections + not_activated_connections') }}
            as {{ integration_adoption.type_double() }}
        ) as active_rate,
        cast(
            {{ integration_adoption.safe_divide('failing_connections',
                'active_connections + failing_connections + dormant_connections + not_activated_connections') }}
            as {{ integration_adoption.type_double() }}
        ) as silent_failure_rate,
        cast(
            {{ integration_adoption.safe_divide('rhythm_met_connections', 'active_connections') }}
            as {{ integration_adoption.type_double() }}
        ) as rhythm_attainment_rate,

        ---------- dates
        date_day as activity_date
    from running
)

select * from final
