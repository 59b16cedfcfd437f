-- The state of each connection-day recomputed the plain way (the last work
-- and failure day so far, metric-definitions §3) and compared with the
-- stored spells, day by day. Day by day is connections × days, so only on
--   * every connection's last `dense_test_recent_days` days (default 7) up
--     to the as-of date, expanded from the spells here;
--   * a deterministic sample of whole histories read from
--     int_connection_states_daily: the connections dense_test_sample picks
--     (one in 100 by md5, plus any in the var dense_test_connection_ids) and,
--     so every kind of change is checked whatever the hash picks, the first
--     connection (by id) with each state and transition. Those days must
--     each appear once, from the install date to the end. The sample is read
--     first and inlined, so the view expands only the sampled spells.
-- Right after an incremental run of the spells, the last days of only the
-- connections it rewrote (keys_replaced_this_run), and the whole sample.
-- assert_state_spells_follow_the_rules.sql checks every spell (after a day's
-- run, the days it can have changed), sparsely.
{%- set recent_days = var('dense_test_recent_days', 7) %}
{%- set sample_ids = [] %}
{#- the relations exist when the test runs (not when a linter compiles it) #}
{%- if execute and load_relation(ref('int_connection_state_spells')) is not none %}
    {%- set sample_query %}
        select connection_id from {{ ref('int_connections_lifecycle') }}
        where {{ integration_adoption.dense_test_sample('connection_id') }}
        union
        select min(connection_id) as connection_id from {{ ref('int_connection_state_spells') }}
        group by state, transition
    {%- endset %}
    {%- set sample_ids = run_query(sample_query).columns[0].values() | sort %}
{%- endif %}
{%- set sample_list = "'" ~ sample_ids | join("', '") ~ "'" if sample_ids else 'null' %}
{%- set checked = '(' ~ integration_adoption.keys_replaced_this_run(
    ref('int_connection_state_spells'), 'connection_id') ~ ' or connection_id in (' ~ sample_list ~ '))' %}
with

spells as (
    select * from {{ ref('int_connection_state_spells') }}
    where {{ checked }}
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
    where {{ checked }}
),

activity as (
    select * from {{ ref('int_connection_activity_daily') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

sample_connections as (
    select connection_id from lifecycle
    where connection_id in ({{ sample_list }})
),

sampled_states as (
    select * from {{ ref('int_connection_states_daily') }}
    where connection_id in ({{ sample_list }})
),

recent_spells as (
    select
        spells.connection_id,
        spells.state,
        spells.valid_to,
        case
            when spells.valid_from > {{ integration_adoption.add_days(-recent_days, 'as_of.as_of_date') }}
                then spells.valid_from
            else {{ integration_adoption.add_days(1 - recent_days, 'as_of.as_of_date') }}
        end as recent_from
    from spells
    cross join as_of
    where spells.valid_to > {{ integration_adoption.add_days(-recent_days, 'as_of.as_of_date') }}
),

recent_states as (
    select
        connection_id,
        state,
        date_day as state_date
    from ({{ integration_adoption.date_spine('recent_spells', 'recent_from', 'valid_to') }}) as expanded
),

checked_days as (
    select
        connection_id,
        state_date,
        state
    from sampled_states
    union all
    select
        connection_id,
        state_date,
        state
    from recent_states
),

-- the work and failure days within each connection's install-to-end span
signal_days as (
    {{ integration_adoption.connection_signal_days('activity', 'lifecycle') }}
),

-- before the recent days, only each connection's last work and failure day matter
last_before_recent as (
    select
        signal_days.connection_id,
        max(case when signal_days.is_work_day then signal_days.activity_date end)
            as last_work_date,
        max(case when signal_days.is_failure_day then signal_days.activity_date end)
            as last_failure_date
    from signal_days
    cross join as_of
    where
        signal_days.activity_date
        <= {{ integration_adoption.add_days(-recent_days, 'as_of.as_of_date') }}
    group by signal_days.connection_id
),

-- the checked days (kind 1) after the signals of the same day (kind 0): every
-- signal of a sampled connection, the recent ones and the last before of the others
timeline as (
    select
        signal_days.connection_id,
        signal_days.activity_date as timeline_date,
        0 as kind,
        cast(null as {{ dbt.type_string() }}) as state,
        signal_days.is_work_day,
        signal_days.is_failure_day
    from signal_days
    cross join as_of
    where
        signal_days.activity_date
        > {{ integration_adoption.add_days(-recent_days, 'as_of.as_of_date') }}
        or signal_days.connection_id in ({{ sample_list }})
    union all
    select
        connection_id,
        last_work_date as timeline_date,
        0 as kind,
        cast(null as {{ dbt.type_string() }}) as state,
        true as is_work_day,
        false as is_failure_day
    from last_before_recent
    where last_work_date is not null
    union all
    select
        connection_id,
        last_failure_date as timeline_date,
        0 as kind,
        cast(null as {{ dbt.type_string() }}) as state,
        false as is_work_day,
        true as is_failure_day
    from last_before_recent
    where last_failure_date is not null
    union all
    select
        connection_id,
        state_date as timeline_date,
        1 as kind,
        state,
        false as is_work_day,
        false as is_failure_day
    from checked_days
),

last_signals as (
    select
        *,
        max(case when is_work_day then timeline_date end) over (
            partition by connection_id
            order by timeline_date, kind
            rows between unbounded preceding and current row
        ) as last_work_date,
        max(case when is_failure_day then timeline_date end) over (
            partition by connection_id
            order by timeline_date, kind
            rows between unbounded preceding and current row
        ) as last_failure_date
    from timeline
),

expected as (
    select
        last_signals.connection_id,
        last_signals.timeline_date as state_date,
        last_signals.state,
        case
            when last_signals.timeline_date = lifecycle.uninstalled_date then 'uninstalled'
            when
                last_signals.last_work_date
                > {{ integration_adoption.add_days('-lifecycle.active_window_days', 'last_signals.timeline_date') }}
                then 'active'
            when
                last_signals.last_failure_date
                > {{ integration_adoption.add_days('-lifecycle.active_window_days', 'last_signals.timeline_date') }}
                then 'failing'
            when last_signals.last_work_date is null then 'not_activated'
            else 'dormant'
        end as expected_state
    from last_signals
    inner join lifecycle
        on last_signals.connection_id = lifecycle.connection_id
    where last_signals.kind = 1
),

wrong_states as (
    select
        connection_id,
        state_date,
        state,
        expected_state,
        'wrong state' as problem
    from expected
    where state != expected_state
),

-- the sampled histories: each day from install to end exactly once
sampled_days as (
    select
        connection_id,
        count(*) as day_rows,
        count(distinct state_date) as distinct_days
    from sampled_states
    group by connection_id
),

wrong_days as (
    select
        lifecycle.connection_id,
        cast(null as date) as state_date,
        cast(null as {{ dbt.type_string() }}) as state,
        cast(null as {{ dbt.type_string() }}) as expected_state,
        'days missing or repeated' as problem
    from lifecycle
    inner join sample_connections
        on lifecycle.connection_id = sample_connections.connection_id
    left join sampled_days
        on lifecycle.connection_id = sampled_days.connection_id
    where
        sampled_days.connection_id is null
        or sampled_days.day_rows != sampled_days.distinct_days
        or sampled_days.day_rows
        != {{ dbt.datediff('lifecycle.installed_date', 'lifecycle.state_end_date', 'day') }} + 1
)

select * from wrong_states
union all
select * from wrong_days
