-- The spells of each connection tile its days (metric-definitions §3): the
-- first starts on the install date, each next one starts the day after the
-- previous ends, the last ends on the as-of date or the uninstall day, and
-- two neighbours never share a state (spells are maximal).
with

spells as (
    select * from {{ ref('int_connection_state_spells') }}
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

ordered as (
    select
        spells.connection_id,
        spells.state,
        spells.valid_from,
        spells.valid_to,
        lag(spells.valid_to) over (
            partition by spells.connection_id order by spells.valid_from
        ) as previous_valid_to,
        lag(spells.state) over (
            partition by spells.connection_id order by spells.valid_from
        ) as previous_state
    from spells
),

gaps_or_overlaps as (
    select
        connection_id,
        'not contiguous or not maximal' as problem
    from ordered
    where
        previous_valid_to is not null
        and (
            valid_from != {{ integration_adoption.add_days(1, 'previous_valid_to') }}
            or state = previous_state
        )
),

per_connection as (
    select
        connection_id,
        min(valid_from) as first_day,
        max(valid_to) as last_day,
        sum({{ dbt.datediff('valid_from', 'valid_to', 'day') }} + 1) as covered_days
    from spells
    group by connection_id
),

wrong_span as (
    select
        lifecycle.connection_id,
        'does not span install to end' as problem
    from lifecycle
    left join per_connection
        on lifecycle.connection_id = per_connection.connection_id
    where
        per_connection.connection_id is null
        or per_connection.first_day != lifecycle.installed_date
        or per_connection.last_day != lifecycle.state_end_date
        or per_connection.covered_days
        != {{ dbt.datediff('lifecycle.installed_date', 'lifecycle.state_end_date', 'day') }} + 1
)

select * from gaps_or_overlaps
union all
select * from wrong_span
