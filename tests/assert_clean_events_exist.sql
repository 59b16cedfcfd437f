-- The marts describe clean events (metric-definitions §0, §2): with none —
-- empty raw files, the wrong folder, or every row quarantined — there is no
-- as-of date and nothing to measure. In dbt build every model after the union
-- waits for this test, and it stops with what to check; elsewhere it returns
-- one row when there is no clean event.
-- It only asks whether one clean event exists, in int_connection_events_clean
-- (before the owner rule, which keeps each connection's first-loaded event:
-- the union holds one exactly when the clean events do), without expanding
-- either view: a count of the union took 3.8 s of a day's run on wide data,
-- on the path every later model waits on.
-- depends_on: {{ ref('int_connection_events_unioned') }}
{%- set clean_events = ref('int_connection_events_clean') %}
{%- set product_triaged = ref('base_product__integration_events_triaged') %}
{%- if execute and flags.WHICH in ['build', 'test', 'retry'] %}
    {%- set counts = run_query(
        'select (select count(*) from (select 1 as one) as probe where exists (select 1 as one from '
        ~ clean_events ~ ')) as n_clean,'
        ~ ' count(*) as n_quarantined,'
        ~ ' coalesce(sum(collapsed_duplicate_count), 0) as n_collapsed'
        ~ ' from ' ~ product_triaged ~ ' where rejection_reason is not null'
    ).rows[0] %}
    {%- if counts[0] == 0 %}
        {%- set raw_place = (
            (var('raw_data_path') or env_var('IA_RAW_DATA_PATH', 'data/raw'))
            ~ '/integration_events/*.parquet (var raw_data_path, or IA_RAW_DATA_PATH)'
            if var('raw_from_files') else var('raw_schema') ~ '.integration_events (var raw_schema)'
        ) %}
        {%- if counts[1] == 0 %}
            {%- set what_to_check = 'The product source has no event rows at all: check that '
                ~ raw_place ~ ' is where your data is and that its files hold rows.' %}
        {%- else %}
            {%- set what_to_check = 'Every one of the ' ~ counts[1] ~ ' product rows (+ ' ~ counts[2]
                ~ ' collapsed copies) was quarantined. See why: select rejection_reason, count(*) from '
                ~ product_triaged ~ ' group by 1 (unknown_event_name: seeds/event_name_map.csv;'
                ~ ' unknown_integration: seeds/integration_catalog.csv).' %}
        {%- endif %}
        {{ exceptions.raise_compiler_error(
            'no clean events: no raw event row passed the cleaning, so there is no as-of date and'
            ~ ' no mart to build. ' ~ what_to_check ~ ' docs/bad_data.md'
        ) }}
    {%- endif %}
{%- endif %}
with

clean_events as (
    -- in build and test the look above is the one taken (the view is not read twice)
    {%- if execute and flags.WHICH in ['build', 'test', 'retry'] %}
        select {{ counts[0] }} as n_rows
    {%- else %}
        select count(*) as n_rows
        from (select 1 as one) as probe
        where exists (select 1 as one from {{ clean_events }})
    {%- endif %}
)

select * from clean_events
where n_rows = 0
