{#- The connections an incremental run of the state runs or spells rewrites
    (metric-definitions §3), as CTEs ending in `in_scope`: one row per
    connection. `stored` is the model's own table (one row per run); a CTE
    `lifecycle` (int_connections_lifecycle) must come before. In scope: a
    connection with activity since the changed-from date (the newest stored
    day minus `incremental_lookback_days`, the window
    int_connection_activity_daily re-reads), one with nothing stored yet,
    and a live one (no uninstall day stored) whose last stored day is no
    longer the as-of date. That last kind, with no recent activity, is an
    extension: its stored runs stand and only the days after them are new.
    A live connection with no recent activity while the as-of date stays
    is left alone: none of its days can change. Each row also has the
    changed-from date, its last stored day, its boundary date: the start
    of its last stored run before the changed-from date (null when none),
    and its rewrite-from date: the boundary date, else the install date.
    No stored run before it changes (a run that does starts on or after the
    boundary date), so a run rewrites the connection's rows from it on
    (strategy replace_from). -#}
{% macro connection_state_scope(stored) -%}
changed_from as (
    select {{ integration_adoption.add_days(-var('incremental_lookback_days'), 'max(valid_to)') }}
        as changed_from_date
    from {{ stored }}
),

stored_ends as (
    select
        connection_id,
        max(valid_to) as stored_end_date,
        max(case when state = 'uninstalled' then 1 else 0 end) = 1 as is_uninstalled,
        max(case when valid_from < (select changed_from_date from changed_from) then valid_from end)
            as boundary_date
    from {{ stored }}
    group by connection_id
),

recently_active as (
    select distinct connection_id
    from {{ ref('int_connection_activity_daily') }}
    where activity_date >= (select changed_from_date from changed_from)
),

in_scope as (
    select
        lifecycle.connection_id,
        changed_from.changed_from_date,
        stored_ends.stored_end_date,
        stored_ends.boundary_date,
        coalesce(stored_ends.boundary_date, lifecycle.installed_date) as rewrite_from_date,
        coalesce(
            recently_active.connection_id is null and stored_ends.stored_end_date < lifecycle.state_end_date,
            false
        ) as is_extension
    from lifecycle
    cross join changed_from
    left join stored_ends
        on lifecycle.connection_id = stored_ends.connection_id
    left join recently_active
        on lifecycle.connection_id = recently_active.connection_id
    where
        recently_active.connection_id is not null
        or stored_ends.connection_id is null
        or (not stored_ends.is_uninstalled and stored_ends.stored_end_date <> lifecycle.state_end_date)
)
{%- endmacro %}
