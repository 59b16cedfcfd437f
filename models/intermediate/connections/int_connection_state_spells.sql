{{ config(**integration_adoption.incremental_by_key_config(
    'connection_id', from_column='valid_from', log_keys=true, until_column='valid_to')) }}
-- depends_on: {{ ref('int_connection_activity_daily') }} (read on incremental runs)
-- One row per connection per maximal run of days in one state
-- (metric-definitions §3): the runs of int_connection_state_runs, numbered,
-- labelled with the change that opened them, and with their owner.
-- Incremental (strategy replace_from on connection_id and valid_from): a run
-- rewrites the connections whose runs can have changed (macro
-- connection_state_scope: recent activity, new, and live ones when the
-- as-of date moved), each from its rewrite-from date on (its last spell
-- starting before the changed-from date, else its install): the runs from
-- there, numbered on from the stored spells before it. The strategy logs
-- each connection with the first day the run can have changed (the
-- changed-from date; a new connection's install), and the state tests of
-- the same invocation check the spells' days from there on. The
-- cost grows with the spells rewritten, not with the connections' history.
-- A full refresh is the same SQL with every connection from its install.
with

runs as (
    select * from {{ ref('int_connection_state_runs') }}
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

{%- if is_incremental() %}

{{ integration_adoption.connection_state_scope(this) }},

-- the stored spells before each rewrite-from date, which the numbers go on from
stored_before as (
    select
        stored.connection_id,
        count(*) as spells_before,
        sum(case when stored.state = 'active' then 1 else 0 end) as active_spells_before
    from {{ this }} as stored
    inner join in_scope
        on stored.connection_id = in_scope.connection_id
    where stored.valid_from < in_scope.rewrite_from_date
    group by stored.connection_id
),

{%- endif %}

numbered as (
    select
        runs.*,
        -- a running sum rather than row_number(), whose type differs by engine; a bigint, as
        -- DuckDB's sum is a 128-bit integer
        cast(sum(1) over (
            partition by runs.connection_id
            order by runs.valid_from
            rows between unbounded preceding and current row
        ) {%- if is_incremental() %} + coalesce(stored_before.spells_before, 0) {%- endif %} as {{ dbt.type_bigint() }})
            as spell_number,
        sum(case when runs.state = 'active' then 1 else 0 end) over (
            partition by runs.connection_id
            order by runs.valid_from
            rows between unbounded preceding and current row
        ) {%- if is_incremental() %} + coalesce(stored_before.active_spells_before, 0) {%- endif %}
            as active_spells_so_far
    from runs
    {%- if is_incremental() %}
        inner join in_scope
            on
                runs.connection_id = in_scope.connection_id
                and runs.valid_from >= in_scope.rewrite_from_date
        left join stored_before
            on runs.connection_id = stored_before.connection_id
    {%- endif %}
),

final as (
    select
        ---------- ids
        {{ dbt.hash(dbt.concat(['numbered.connection_id', "'|'", 'cast(numbered.valid_from as ' ~ dbt.type_string() ~ ')'])) }}
            as spell_id,
        numbered.connection_id,
        lifecycle.account_id,
        lifecycle.integration_key,

        ---------- strings
        numbered.state,
        -- the change that opened the spell (§3)
        case
            when numbered.state = 'uninstalled' then 'uninstalled'
            when numbered.state = 'active' and numbered.active_spells_so_far = 1 then 'new'
            when numbered.state = 'active' then 'resurrected'
            when numbered.spell_number = 1 then 'installed'
            else 'newly_' || numbered.state
        end as transition,

        ---------- numerics
        numbered.spell_number,
        {{ dbt.datediff('numbered.valid_from', 'numbered.valid_to', 'day') }} + 1 as spell_days,
        numbered.work_event_count,
        numbered.failure_event_count,
        numbered.records_synced,
        numbered.api_calls,

        ---------- booleans
        numbered.valid_to = lifecycle.state_end_date as is_current,

        ---------- dates
        numbered.valid_from,
        numbered.valid_to
    from numbered
    inner join lifecycle
        on numbered.connection_id = lifecycle.connection_id
)

select * from final
