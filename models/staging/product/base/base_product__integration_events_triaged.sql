{{ config(materialized='table') }}
-- Every raw product event row, sorted once (metric-definitions §2): clean
-- (rejection_reason null) or quarantined with its reason, identical
-- redeliveries collapsed. Stored, because the cleaning reads every raw row;
-- the clean and quarantine staging views read this table.
with

triaged as (
    {{ triage_raw_events(source('product', 'integration_events')) }}
)

select * from triaged
