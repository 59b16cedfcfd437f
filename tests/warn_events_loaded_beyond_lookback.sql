{{ config(severity='warn') }}
-- An incremental run re-reads only the last `incremental_lookback_days` days
-- of events, so an event loaded later than that after it occurred is not in
-- the incremental tables until a full refresh (docs/incremental.md).
-- A warning, not an error: the build is right up to these events, and
-- `dbt build --full-refresh` absorbs them.
select
    raw_source,
    check_name,
    row_count
from {{ ref('fct_data_quality_checks') }}
where
    check_name = 'late_loaded_events'
    and row_count > 0
