-- The state rules of metric-definitions §3, checked on each spell from its
-- edges and the activity days inside it, never day by day: the cost grows
-- with spells and activity days, not with connections × days. W is the
-- integration's active window, lw(d) / lf(d) the last work / failure day on
-- or before d. They only move on activity days, so a spell [from, to] obeys
-- the rule on each of its days exactly when
--   active:        lw(to) is within W of to, and no work day after `from`
--                  comes more than W days after the work day before it
--                  (else the day before it was not active);
--   not active:    no work day in the spell, and lw(from - 1) is older than W;
--   failing:       the same two checks as active, on failure days;
--   not failing:   no failure day in the spell, lf(from - 1) older than W
--                  (dormant and not_activated);
--   not_activated: no work day before it; dormant: one before it;
--   uninstalled:   one day, the uninstall day, which no other spell holds.
-- Checked from a later day a of the spell (its check start, below), the same
-- with a for `from`: the days before a, and a restart on a, were checked by
-- the run that wrote them.
-- assert_states_match_definition.sql checks the same rules day by day, on
-- the last days and a sample of connections. Right after an incremental run
-- of the spells, only the days that run can have changed: each connection
-- it rewrote from the day before the first day it logged (its changed-from
-- date, or its install for a new one; replaced_from_this_run) on. Each
-- spell reaching that day is checked on its days from there (its check
-- start), with the last work and failure day before standing in for the
-- older signals; the days before were checked by the runs that wrote them.
-- A day before the changed-from date (whose state the run cannot change)
-- is checked too, so that a restart on the changed-from date inside a spell
-- that began before it counts as one. So a failure of this test is reported
-- by the run that wrote the days, not again by the next day's run: after a
-- failure, fix it and run dbt test (or a build with test_every_row), which
-- checks every spell (docs/incremental.md).
{%- set spells_model = ref('int_connection_state_spells') %}
{%- set replaced = integration_adoption.replaced_from_this_run(spells_model) %}
with

-- each connection's first checked day (its install on a full check)
checked_from as (
    {%- if replaced %}
        select
            replaced_key as connection_id,
            {{ integration_adoption.add_days(-1, 'first_day') }} as checked_from_date
        from ({{ replaced }}) as replaced
    {%- else %}
        select
            connection_id,
            min(valid_from) as checked_from_date
        from {{ spells_model }}
        group by connection_id
    {%- endif %}
),

spells as (
    select
        spells.*,
        -- the first day of the spell that is checked
        case
            when spells.valid_from < checked_from.checked_from_date then checked_from.checked_from_date
            else spells.valid_from
        end as check_from_date
    from {{ spells_model }} as spells
    inner join checked_from
        on spells.connection_id = checked_from.connection_id
    where spells.valid_to >= checked_from.checked_from_date
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
    where {{ integration_adoption.keys_replaced_this_run(spells_model, 'connection_id') }}
),

activity as (
    select * from {{ ref('int_connection_activity_daily') }}
),

-- the work and failure days within each connection's install-to-end span
signal_days as (
    select
        signal_days.*,
        signal_days.activity_date >= checked_from.checked_from_date as is_checked
    from ({{ integration_adoption.connection_signal_days('activity', 'lifecycle') }}) as signal_days
    inner join checked_from
        on signal_days.connection_id = checked_from.connection_id
),

-- before the first checked day, only the last work and failure day matter
last_before_checked as (
    select
        connection_id,
        max(case when is_work_day then activity_date end) as last_work_date,
        max(case when is_failure_day then activity_date end) as last_failure_date
    from signal_days
    where not is_checked
    group by connection_id
),

timeline as (
    select
        connection_id,
        check_from_date as timeline_date,
        0 as kind,
        false as is_work_day,
        false as is_failure_day
    from spells
    union all
    select
        connection_id,
        activity_date as timeline_date,
        1 as kind,
        is_work_day,
        is_failure_day
    from signal_days
    where is_checked
    -- before every spell start: in no spell, seen only as the signal before
    union all
    select
        connection_id,
        last_work_date as timeline_date,
        1 as kind,
        true as is_work_day,
        false as is_failure_day
    from last_before_checked
    where last_work_date is not null
    union all
    select
        connection_id,
        last_failure_date as timeline_date,
        1 as kind,
        false as is_work_day,
        true as is_failure_day
    from last_before_checked
    where last_failure_date is not null
),

placed as (
    select
        *,
        -- the spell each signal falls in: the latest spell start on or before it
        -- (dates rise along the timeline: the last one is the latest)
        {{ integration_adoption.last_non_null(
            'case when kind = 0 then timeline_date end',
            'partition by connection_id order by timeline_date, kind
            rows between unbounded preceding and current row') }} as spell_from,
        {{ integration_adoption.last_non_null(
            'case when is_work_day then timeline_date end',
            'partition by connection_id order by timeline_date, kind
            rows between unbounded preceding and 1 preceding') }} as work_date_before,
        {{ integration_adoption.last_non_null(
            'case when is_failure_day then timeline_date end',
            'partition by connection_id order by timeline_date, kind
            rows between unbounded preceding and 1 preceding') }} as failure_date_before
    from timeline
),

-- a restart: a work (failure) day more than W days after the one before, or
-- the first; inside an active (failing) spell it means the day before was not
restarts as (
    select
        placed.*,
        placed.is_work_day and (
            placed.work_date_before is null
            or {{ dbt.datediff('placed.work_date_before', 'placed.timeline_date', 'day') }}
            > lifecycle.active_window_days
        ) as is_work_restart,
        placed.is_failure_day and (
            placed.failure_date_before is null
            or {{ dbt.datediff('placed.failure_date_before', 'placed.timeline_date', 'day') }}
            > lifecycle.active_window_days
        ) as is_failure_restart
    from placed
    inner join lifecycle
        on placed.connection_id = lifecycle.connection_id
    where placed.kind = 1
),

spell_starts as (
    select
        connection_id,
        timeline_date as check_from_date,
        work_date_before,
        failure_date_before
    from placed
    where kind = 0
),

spell_signals as (
    select
        connection_id,
        spell_from as check_from_date,
        sum(case when is_work_day then 1 else 0 end) as work_days,
        sum(case when is_failure_day then 1 else 0 end) as failure_days,
        sum(case when is_work_restart and timeline_date > spell_from then 1 else 0 end)
            as work_restarts,
        sum(case when is_failure_restart and timeline_date > spell_from then 1 else 0 end)
            as failure_restarts,
        max(case when is_work_day then timeline_date end) as last_work_date,
        max(case when is_failure_day then timeline_date end) as last_failure_date
    from restarts
    group by connection_id, spell_from
),

checked as (
    select
        spells.connection_id,
        spells.state,
        spells.valid_from,
        spells.valid_to,
        spells.check_from_date,
        lifecycle.active_window_days as window_days,
        lifecycle.uninstalled_date,
        spell_starts.work_date_before,
        spell_starts.failure_date_before,
        coalesce(spell_signals.work_days, 0) as work_days,
        coalesce(spell_signals.failure_days, 0) as failure_days,
        coalesce(spell_signals.work_restarts, 0) as work_restarts,
        coalesce(spell_signals.failure_restarts, 0) as failure_restarts,
        coalesce(spell_signals.last_work_date, spell_starts.work_date_before) as last_work_date,
        coalesce(spell_signals.last_failure_date, spell_starts.failure_date_before)
            as last_failure_date
    from spells
    inner join lifecycle
        on spells.connection_id = lifecycle.connection_id
    inner join spell_starts
        on
            spells.connection_id = spell_starts.connection_id
            and spells.check_from_date = spell_starts.check_from_date
    left join spell_signals
        on
            spells.connection_id = spell_signals.connection_id
            and spells.check_from_date = spell_signals.check_from_date
),

broken as (
    select
        *,
        case
            -- uninstalled: the uninstall day alone
            when state = 'uninstalled'
                then case
                    when
                        uninstalled_date is null
                        or valid_from != uninstalled_date
                        or valid_to != uninstalled_date
                        then 'uninstalled spell is not the uninstall day'
                end
            when uninstalled_date >= valid_from and uninstalled_date <= valid_to
                then 'holds the uninstall day'
            -- active: a work day within W of every day
            when state = 'active'
                then case
                    when
                        last_work_date is null
                        or {{ dbt.datediff('last_work_date', 'valid_to', 'day') }} >= window_days
                        or work_restarts > 0
                        then 'active on a day without work in the window'
                end
            -- not active: no work day within W of any day
            when
                work_days > 0
                or {{ dbt.datediff('work_date_before', 'check_from_date', 'day') }} < window_days
                then 'not active on a day with work in the window'
            -- failing: a failure day within W of every day
            when state = 'failing'
                then case
                    when
                        last_failure_date is null
                        or {{ dbt.datediff('last_failure_date', 'valid_to', 'day') }} >= window_days
                        or failure_restarts > 0
                        then 'failing on a day without a failure in the window'
                end
            -- not failing: no failure day within W of any day
            when
                failure_days > 0
                or {{ dbt.datediff('failure_date_before', 'check_from_date', 'day') }} < window_days
                then 'not failing on a day with a failure in the window'
            when state = 'not_activated' and work_date_before is not null
                then 'not_activated after a work day'
            when state = 'dormant' and work_date_before is null
                then 'dormant before any work day'
            when state not in ('not_activated', 'dormant')
                then 'unknown state'
        end as broken_rule
    from checked
)

select
    connection_id,
    state,
    valid_from,
    valid_to,
    broken_rule
from broken
where broken_rule is not null
