-- fct_integration_impact_history at the default T0 is fct_integration_impact
-- (metric-definitions §8.1 "Stability over T0": the default T0 is always a
-- row). Returns a row for each difference: a row of one mart that the other
-- lacks (every column of fct_integration_impact compared, both directions),
-- a default T0 with alive accounts but not one row per outcome of the
-- matching (impact_matching_arguments) per integration in the history, or is_default_t0 set on another T0.
{%- set outcome_count = integration_adoption.impact_matching_arguments().outcomes | length %}
{%- set columns = (
    adapter.get_columns_in_relation(ref('fct_integration_impact')) | map(attribute='name') | join(', ')
) if execute else '*' %}
with

impact as (
    select * from {{ ref('fct_integration_impact') }}
),

history as (
    select * from {{ ref('fct_integration_impact_history') }}
),

snapshot_dates as (
    select t0_date from {{ ref('int_account_snapshot_dates') }}
    where is_default_t0
),

snapshots as (
    select * from {{ ref('int_account_snapshots') }}
),

history_at_default as (
    select history.*
    from history
    inner join snapshot_dates
        on history.t0_date = snapshot_dates.t0_date
),

only_in_history as (
    select {{ columns }} from history_at_default
    {{ dbt.except() }}
    select {{ columns }} from impact
),

only_in_impact as (
    select {{ columns }} from impact
    {{ dbt.except() }}
    select {{ columns }} from history_at_default
),

-- the integrations with accounts alive at the default T0, each outcome once
expected_rows as (
    select {{ outcome_count }} * count(distinct snapshots.integration_key) as row_count
    from snapshots
    inner join snapshot_dates
        on snapshots.t0_date = snapshot_dates.t0_date
),

default_row_counts as (
    select
        expected_rows.row_count as expected_row_count,
        (select count(*) from history_at_default) as history_row_count
    from expected_rows
),

failures as (
    select
        'only in the history at the default T0' as failure,
        integration_key,
        outcome,
        t0_date
    from only_in_history
    union all
    select
        'only in fct_integration_impact' as failure,
        integration_key,
        outcome,
        t0_date
    from only_in_impact
    union all
    select
        'the history misses default-T0 rows' as failure,
        cast(null as {{ dbt.type_string() }}) as integration_key,
        cast(null as {{ dbt.type_string() }}) as outcome,
        cast(null as date) as t0_date
    from default_row_counts
    where expected_row_count <> history_row_count
    union all
    select
        'is_default_t0 on another T0' as failure,
        history.integration_key,
        history.outcome,
        history.t0_date
    from history
    left join snapshot_dates
        on history.t0_date = snapshot_dates.t0_date
    where history.is_default_t0 <> (snapshot_dates.t0_date is not null)
)

select * from failures
