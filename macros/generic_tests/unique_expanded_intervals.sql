{#- The grain test of a model that expands intervals to one row per key and
    day (int_connection_states_daily expands the state spells), checked on
    the intervals rather than on the expanded rows: key and bounds never
    null, no interval ending before it starts, no two intervals of a key
    overlapping. The expansion then holds each (key, day) exactly once, and
    the test costs intervals, not keys × days. -#}
{% test unique_expanded_intervals(model, intervals, key, valid_from, valid_to) %}

with

ordered as (
    select
        {{ key }} as interval_key,
        {{ valid_from }} as valid_from,
        {{ valid_to }} as valid_to,
        lag({{ valid_to }}) over (
            partition by {{ key }}
            order by {{ valid_from }}, {{ valid_to }}
        ) as previous_valid_to
    from {{ intervals }}
)

select * from ordered
where
    interval_key is null
    or valid_from is null
    or valid_to is null
    or valid_to < valid_from
    or previous_valid_to >= valid_from

{% endtest %}
