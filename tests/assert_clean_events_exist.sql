-- The marts describe clean events (metric-definitions §0, §2): with none —
-- empty raw files, the wrong folder, or every row quarantined — there is no
-- as-of date and nothing to measure. In dbt build every model after the union
-- waits for this test, and it stops with what to check; elsewhere it returns
-- one row when there is no clean event.
{%- set clean_events = ref('int_connection_events_unioned') %}
{%- set product_triaged = ref('base_product__integration_events_triaged') %}
{%- if execute and flags.WHICH in ['build', 'test', 'retry'] %}
    {%- set counts = run_query(
        'select (select count(*) from ' ~ clean_events ~ ') as n_clean,'
        ~ ' count(*) as n_quarantined,'
        ~ ' coalesce(sum(collapsed_duplicate_count), 0) as n_collapsed'
        ~ ' from ' ~ product_triaged ~ ' where rejection_reason is not null'
    ).rows[0] %}
    {%- if counts[0] == 0 %}
        {{ exceptions.raise_compiler_error(
            'no clean events: no raw event row passed the cleaning, so there is no as-of date and no mart to build. '
            ~ 'The product quarantine holds ' ~ counts[1] ~ ' rows (+ ' ~ counts[2] ~ ' collapsed copies). '
            ~ ('If that is 0, the raw tables are empty: check that '
               ~ (var('raw_data_path') or env_var('IA_RAW_DATA_PATH', 'data/raw'))
               ~ '/integration_events/ (var raw_data_path or IA_RAW_DATA_PATH) holds Parquet files with rows'
               if var('raw_from_files') else
               'If that is 0, the raw tables are empty: check ' ~ var('raw_schema') ~ '.integration_events')
            ~ '. Otherwise see why they were quarantined: select rejection_reason, count(*) from '
            ~ product_triaged ~ ' where rejection_reason is not null group by 1 '
            ~ '(e.g. unknown_event_name: seeds/event_name_map.csv; unknown_integration: seeds/integration_catalog.csv). '
            ~ 'docs/bad_data.md'
        ) }}
    {%- endif %}
{%- endif %}
with

clean_events as (
    select count(*) as n_rows from {{ clean_events }}
)

select * from clean_events
where n_rows = 0
