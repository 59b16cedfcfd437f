-- One row per connection per run of days with the same configuration: the
-- sophistication features in use (metric-definitions §6): bidirectional sync,
-- custom fields, filters, transformations. Each event of kind setup or
-- sophistication (canonical_events) sets the configuration from its day on; a property
-- the event leaves out keeps its previous value.
with

events as (
    select * from {{ ref('int_connection_events_unioned') }}
    where
        not is_after_uninstall
        and event_kind in ('setup', 'sophistication')
),

per_day as (
    -- the last configuration event of each day wins
    select
        connection_id,
        event_date,
        sync_direction,
        custom_fields_count,
        filters_count,
        transformations_count,
        row_number() over (
            partition by connection_id, event_date
            order by occurred_at desc, event_id desc
        ) as recency_rank
    from events
),

carried as (
    select
        connection_id,
        event_date,
        {%- for column in ['sync_direction', 'custom_fields_count', 'filters_count', 'transformations_count'] %}
        {{ integration_adoption.last_non_null(column,
            'partition by connection_id order by event_date rows between unbounded preceding and current row') }}
                as {{ column }},
        {%- endfor %}
        lead(event_date) over (partition by connection_id order by event_date) as next_event_date
    from per_day
    where recency_rank = 1
),

final as (
    select
        connection_id,
        coalesce(sync_direction = 'bidirectional', false) as is_bidirectional,
        coalesce(custom_fields_count > 0, false) as has_custom_fields,
        coalesce(filters_count > 0, false) as has_filters,
        coalesce(transformations_count > 0, false) as has_transformations,
        case when sync_direction = 'bidirectional' then 1 else 0 end
        + case when custom_fields_count > 0 then 1 else 0 end
        + case when filters_count > 0 then 1 else 0 end
        + case when transformations_count > 0 then 1 else 0 end as features_in_use,
        event_date as valid_from,
        {{ integration_adoption.add_days(-1, 'next_event_date') }} as valid_to
    from carried
)

select * from final
