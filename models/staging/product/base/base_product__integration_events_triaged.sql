{{ config(
    pre_hook=["{{ integration_adoption.log_triage_scope(
        source('product', 'integration_events'),
        event_name_map=ref('event_name_map'), integration_catalog=ref('integration_catalog')) }}"],
    meta={'replaced_keys': {'column': 'triage_key', 'unique_columns': ['triaged_row_id']}},
    **integration_adoption.incremental_by_key_config('triage_key')) }}
-- Every raw product event row, sorted once (metric-definitions §2): clean
-- (rejection_reason null) or quarantined with its reason, identical
-- redeliveries collapsed. Stored, because the cleaning reads every raw row;
-- the clean and quarantine staging views read this table.
-- Incremental: a run re-sorts only the event_ids with rows loaded within the
-- lookback (macro triage_scope), from all their raw rows.
-- The raw rows are read three times below (the ids, every row, the rows of
-- shared ids by a filter on the id): on a full build they are not
-- materialised (tens of GB at 100 M events); on an incremental run they are
-- the few rows in scope, materialised once instead of re-scanning the raw
-- files for each read (10 M events: 30 s to 7 s).
with

source as {{ integration_adoption.cte_not_materialized() if not is_incremental() }} (
    {{ triage_scope(source('product', 'integration_events')) }}
),

triaged as (
    {{ triage_raw_events(
        'source',
        event_name_map=ref('event_name_map'),
        integration_catalog=ref('integration_catalog'),
        free_text_keys=source_free_text_keys('product', 'integration_events', 'properties'),
    ) }}
)

select * from triaged
