{#- The counts of fct_data_quality_checks' event checks over the events
    aliased `events` (one row each), with the as-of date's row aliased
    `as_of` joined: events dated after the as-of date (event_date_of), and
    events loaded more than `incremental_lookback_days` after they occurred.
    Select items. -#}
{% macro event_check_counts(events, as_of) -%}
    sum(case when {{ integration_adoption.event_date_of(events ~ '.occurred_at') }} > {{ as_of }}.as_of_date then 1 else 0 end)
        as after_as_of_count,
    sum(
        case
            when {{ events }}.loaded_at > {{ dbt.dateadd('day', var('incremental_lookback_days'), events ~ '.occurred_at') }}
                then 1
            else 0
        end
    ) as late_loaded_count
{%- endmacro %}
