-- The last day the marts describe (metric-definitions §0): the var
-- `as_of_date`, else the date of the latest clean canonical event. Never the
-- wall clock, so rebuilding the same data gives the same numbers. The vars
-- are validated first (macro validate_vars): here already at parse time.
{%- do integration_adoption.validate_vars() %}
{%- set as_of_var = var('as_of_date') %}
with

events as (
    select event_date from {{ ref('int_connection_events_unioned') }}
),

final as (
    select
        coalesce(
            cast({{ "'" ~ as_of_var ~ "'" if as_of_var else 'null' }} as date),
            max(event_date)
        ) as as_of_date
    from events
)

select * from final
