-- The last day the marts describe (metric-definitions §0), as one row: the
-- as-of date int_connections_lifecycle defines (the var `as_of_date`, else
-- the date of the latest clean canonical event). The vars are validated
-- first (macro validate_vars): here already at parse time.
{%- do integration_adoption.validate_vars() %}
with

lifecycle as (
    select as_of_date from {{ ref('int_connections_lifecycle') }}
),

final as (
    select max(as_of_date) as as_of_date
    from lifecycle
)

select * from final
