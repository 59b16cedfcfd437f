{{ config(**integration_adoption.incremental_by_key_config('connection_id', replaced_from='valid_from')) }}
-- depends_on: {{ ref('int_connection_activity_daily') }} (read on incremental runs)
-- One row per connection per maximal run of days in one state
-- (metric-definitions §3): the runs of int_connection_state_runs, numbered,
-- labelled with the change that opened them, and with their owner.
-- Incremental: a run rewrites the spells of the connections whose runs can
-- have changed (macro connection_state_scope: recent activity, new, and
-- live ones when the as-of date moved), from the spell holding the day
-- before the connection's recompute-from date on: the runs model keeps its
-- runs that end before that date as they were, and cuts or continues the
-- one holding it (so the kept spells equal those runs). The new spells'
-- numbers go on from the kept ones. The strategy (delete_insert_logged with
-- replaced_from) deletes each connection's stored spells from its first new
-- spell on and logs where that is, and the state tests of the same
-- invocation check those spells. The cost grows with the spells of the
-- recent days, not with the history. A full refresh is the same SQL with
-- every spell.
with

runs as (
    select * from {{ ref('int_connection_state_runs') }}
),

lifecycle as (
    select * from {{ ref('int_connections_lifecycle') }}
),

{%- if is_incremental() %}

{{ integration_adoption.connection_state_scope(this) }},

kept as (
    -- per connection in scope: the day from which its spells are rewritten (the
    -- day before its recompute-from date; its spell is cut or continued), and
    -- the stored spells before that spell, all and active, that the run keeps
    select
        in_scope.connection_id,
        {{ integration_adoption.add_days(-1, 'in_scope.recompute_from_date') }} as rewrite_from_date,
        count(stored.connection_id) as spell_count,
        coalesce(sum(case when stored.state = 'active' then 1 else 0 end), 0) as active_spell_count
    from in_scope
    left join {{ this }} as stored
        on
            in_scope.connection_id = stored.connection_id
            and stored.valid_to < {{ integration_adoption.add_days(-1, 'in_scope.recompute_from_date') }}
    group by in_scope.connection_id, in_scope.recompute_from_date
),

{%- endif %}

numbered as (
    select
        runs.*,
        -- a running sum rather than row_number(), whose type differs by engine;
        -- on an incremental run, going on from the spells kept
        {% if is_incremental() %}kept.spell_count + {% endif -%}
        sum(1) over (
            partition by runs.connection_id
            order by runs.valid_from
            rows between unbounded preceding and current row
        ) as spell_number,
        {% if is_incremental() %}kept.active_spell_count + {% endif -%}
        sum(case when runs.state = 'active' then 1 else 0 end) over (
            partition by runs.connection_id
            order by runs.valid_from
            rows between unbounded preceding and current row
        ) as active_spells_so_far
    from runs
    {%- if is_incremental() %}
        inner join kept
            on
                runs.connection_id = kept.connection_id
                and runs.valid_to >= kept.rewrite_from_date
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
