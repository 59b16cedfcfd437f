{#- The runs an incremental run of int_connection_state_runs writes, as CTEs
    ending in `runs_with_stored`: the recomputed runs (`recomputed`, from each
    connection's recompute_from_date in `scoped_lifecycle` on) and the
    stored runs before that date from its rewrite_from_date on (the earlier
    ones stand: strategy replace_from). A stored run that goes on past it is cut
    on the day before, its `sums` taken again from `activity` (the days
    after the cut may have changed). A recomputed run that starts the day
    after a stored run ends, in the same state, continues it: one run, from
    the stored start, with the sums of both. -#}
{% macro continue_stored_runs(stored, activity, sums) -%}
stored_whole as (
    select stored.*
    from {{ stored }} as stored
    inner join scoped_lifecycle as lifecycle
        on stored.connection_id = lifecycle.connection_id
    where
        stored.valid_to < lifecycle.recompute_from_date
        and stored.valid_from >= lifecycle.rewrite_from_date
),

stored_cut as (
    select
        stored.connection_id,
        stored.state,
        {%- for column in sums %}
            cast(coalesce(sum(activity.{{ column }}), 0) as {{ dbt.type_bigint() }}) as {{ column }},
        {%- endfor %}
        stored.valid_from,
        {{ integration_adoption.add_days(-1, 'lifecycle.recompute_from_date') }} as valid_to
    from {{ stored }} as stored
    inner join scoped_lifecycle as lifecycle
        on stored.connection_id = lifecycle.connection_id
    left join {{ activity }} as activity
        on
            stored.connection_id = activity.connection_id
            and activity.activity_date >= stored.valid_from
            and activity.activity_date < lifecycle.recompute_from_date
    where
        stored.valid_from < lifecycle.recompute_from_date
        and stored.valid_to >= lifecycle.recompute_from_date
    group by stored.connection_id, stored.state, stored.valid_from, lifecycle.recompute_from_date
),

stored_before as (
    select * from stored_whole
    union all
    select * from stored_cut
),

continued as (
    select
        recomputed.connection_id,
        recomputed.state,
        {%- for column in sums %}
            recomputed.{{ column }} + coalesce(stored.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        coalesce(stored.valid_from, recomputed.valid_from) as valid_from,
        recomputed.valid_to
    from recomputed
    left join stored_before as stored
        on
            recomputed.connection_id = stored.connection_id
            and recomputed.state = stored.state
            and recomputed.valid_from = {{ integration_adoption.add_days(1, 'stored.valid_to') }}
),

runs_with_stored as (
    select * from continued
    union all
    select stored.*
    from stored_before as stored
    where not exists (
        select 1 from continued
        where continued.connection_id = stored.connection_id and continued.valid_from = stored.valid_from
    )
)
{%- endmacro %}
