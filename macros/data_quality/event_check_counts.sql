{#- The counts of fct_data_quality_checks' event checks over the events
    aliased `events` (one row each), with the as-of date's row aliased
    `as_of` joined: events dated after the as-of date (an event's date is
    that of its occurred_at, canonical_event_fields), and events loaded more
    than `incremental_lookback_days` after they occurred. Select items. -#}
{% macro event_check_counts(events, as_of) -%}
    sum(case when cast({{ events }}.occurred_at as date) > {{ as_of }}.as_of_date then 1 else 0 end)
        as after_as_of_count,
    sum(
        case
            when {{ events }}.loaded_at > {{ dbt.dateadd('day', var('incremental_lookback_days'), events ~ '.occurred_at') }}
                then 1
            else 0
        end
    ) as late_loaded_count
{%- endmacro %}
