-- One row per connection: its key timestamps (metric-definitions §3), from
-- the clean events up to the as-of date, events after the uninstall left out.
-- Read from the connection-days (int_connection_activity_daily: each day's
-- counts and first and last events of each kind), not from every event: a
-- day's run reads one row per connection-day (at 100 M events the events'
-- read was most of this model's time).
-- The as-of date (§0) is defined here, where it cuts the connections' lives:
-- the var `as_of_date`, else the date of the latest clean canonical event;
-- never the wall clock. int_as_of_date publishes it as one row.
{%- set as_of_var = var('as_of_date') %}
with

-- not materialised: read twice (its last day, and the days in scope), and
-- copying 30 M connection-days (100 M events) cost more than two scans
activity as {{ integration_adoption.cte_not_materialized() }} (
    select * from {{ ref('int_connection_activity_daily') }}
),

integration_catalog as (
    select * from {{ ref('integration_catalog') }}
),

last_activity as (
    select max(activity_date) as last_activity_date
    from activity
),

-- the latest event can be one after its connection's uninstall, which the
-- connection-days leave out: only such events fall after the last
-- connection-day. So the events of int_connection_events_unioned dated after
-- it: the clean events there that agree with their connection's owner (the
-- union's rule, without its uninstall flags, which read every event: at
-- 100 M events 6 s against under 1 s)
later_events as (
    select max(clean_events.event_date) as last_event_date
    from {{ ref('int_connection_events_clean') }} as clean_events
    inner join {{ ref('int_connection_owners') }} as owners
        on
            clean_events.connection_id = owners.connection_id
            and clean_events.account_id = owners.account_id
            and clean_events.integration_key = owners.integration_key
    cross join last_activity
    where clean_events.event_date > last_activity.last_activity_date
),

as_of as (
    select
        coalesce(
            cast({{ "'" ~ as_of_var ~ "'" if as_of_var else 'null' }} as date),
            case
                when later_events.last_event_date > last_activity.last_activity_date
                    then later_events.last_event_date
                else last_activity.last_activity_date
            end
        ) as as_of_date
    from last_activity
    cross join later_events
),

in_scope as (
    select activity.*
    from activity
    cross join as_of
    where activity.activity_date <= as_of.as_of_date
),

per_owner as (
    -- first per connection and the account and integration its days name
    -- (one pair: the owner's, int_connection_events_unioned): the distinct
    -- counts below then read one row per pair, not every day
    select
        connection_id,
        account_id,
        integration_key,
        sum(event_count) as event_count,
        sum(work_event_count) as work_event_count,
        sum(failure_event_count) as failure_event_count,
        min(first_event_at) as installed_at,
        min(first_install_at) as install_event_at,
        min(first_setup_at) as setup_completed_at,
        min(first_work_at) as activated_at,
        max(last_work_at) as last_work_at,
        max(last_failure_at) as last_failure_at,
        min(uninstalled_at) as uninstalled_at
    from in_scope
    group by connection_id, account_id, integration_key
),

per_connection as (
    select
        connection_id,
        min(account_id) as account_id,
        min(integration_key) as integration_key,
        count(distinct account_id) as n_accounts,
        count(distinct integration_key) as n_integrations,
        -- bigint, as dim_connections publishes them (a sum of counts is wider on some engines)
        cast(sum(event_count) as {{ dbt.type_bigint() }}) as event_count,
        cast(sum(work_event_count) as {{ dbt.type_bigint() }}) as work_event_count,
        cast(sum(failure_event_count) as {{ dbt.type_bigint() }}) as failure_event_count,
        -- the first event of any kind: the install, or an earlier-stamped event
        min(installed_at) as installed_at,
        min(install_event_at) as install_event_at,
        min(setup_completed_at) as setup_completed_at,
        min(activated_at) as activated_at,
        max(last_work_at) as last_work_at,
        max(last_failure_at) as last_failure_at,
        min(uninstalled_at) as uninstalled_at
    from per_owner
    group by connection_id
),

final as (
    select
        ---------- ids
        per_connection.connection_id,
        per_connection.account_id,
        per_connection.integration_key,

        ---------- strings
        integration_catalog.category as integration_category,
        integration_catalog.intended_cadence,

        ---------- numerics
        integration_catalog.active_window_days,
        integration_catalog.conversion_window_days,
        row_number() over (
            partition by per_connection.account_id, per_connection.integration_key
            order by per_connection.installed_at, per_connection.connection_id
        ) as install_sequence,
        per_connection.n_accounts,
        per_connection.n_integrations,
        per_connection.event_count,
        per_connection.work_event_count,
        per_connection.failure_event_count,
        {{ dbt.datediff('per_connection.installed_at', 'per_connection.activated_at', 'second') }}
            as time_to_first_value_seconds,
        {{ dbt.datediff('per_connection.installed_at', 'per_connection.activated_at', 'second') }}
        / cast(86400 as {{ integration_adoption.type_double() }}) as time_to_first_value_days,

        ---------- booleans
        per_connection.install_event_at is null as is_install_inferred,
        per_connection.activated_at is not null as is_ever_activated,
        per_connection.uninstalled_at is not null as is_uninstalled,

        ---------- dates
        cast(per_connection.installed_at as date) as installed_date,
        cast(per_connection.setup_completed_at as date) as setup_completed_date,
        cast(per_connection.activated_at as date) as activated_date,
        cast(per_connection.last_work_at as date) as last_work_date,
        cast(per_connection.last_failure_at as date) as last_failure_date,
        cast(per_connection.uninstalled_at as date) as uninstalled_date,
        -- the last day the connection has a state: the uninstall day or the as-of date
        case
            when per_connection.uninstalled_at is not null
                then cast(per_connection.uninstalled_at as date)
            else as_of.as_of_date
        end as state_end_date,
        as_of.as_of_date,

        ---------- timestamps
        per_connection.installed_at,
        per_connection.setup_completed_at,
        per_connection.activated_at,
        per_connection.last_work_at,
        per_connection.last_failure_at,
        per_connection.uninstalled_at
    from per_connection
    cross join as_of
    inner join integration_catalog
        on per_connection.integration_key = integration_catalog.integration_key
)

select * from final
