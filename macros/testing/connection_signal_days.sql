{#- The work and failure days of each connection within its install-to-end
    span, one row per day with is_work_day / is_failure_day: what the state
    rules read (metric-definitions §3). `activity` and `lifecycle` name the
    relations or CTEs of int_connection_activity_daily and
    int_connections_lifecycle. -#}
{% macro connection_signal_days(activity, lifecycle) -%}
    select
        {{ activity }}.connection_id,
        {{ activity }}.activity_date,
        {{ activity }}.work_event_count > 0 as is_work_day,
        {{ activity }}.failure_event_count > 0 as is_failure_day
    from {{ activity }}
    inner join {{ lifecycle }}
        on {{ activity }}.connection_id = {{ lifecycle }}.connection_id
    where
        {{ activity }}.activity_date >= {{ lifecycle }}.installed_date
        and {{ activity }}.activity_date <= {{ lifecycle }}.state_end_date
        and ({{ activity }}.work_event_count > 0 or {{ activity }}.failure_event_count > 0)
{%- endmacro %}
