{{ config(severity='warn') }}
-- The as-of date (metric-definitions §0) is the date of the latest clean
-- event; later than the day of the build itself, a source is writing
-- timestamps in the future — typically a loader whose loaded_at runs ahead,
-- since the future rule of §2 compares occurred_at with the row's own
-- loaded_at. A warning: every mart then describes days that have not
-- happened. Check the loader's clock (docs/bad_data.md), or pin the var
-- as_of_date.
select
    as_of_date,
    cast({{ dbt.current_timestamp() }} as date) as build_date
from {{ ref('int_as_of_date') }}
where as_of_date > cast({{ dbt.current_timestamp() }} as date)
