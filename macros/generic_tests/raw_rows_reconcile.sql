{#-
    Nothing lost silently (metric-definitions §2): every row of the raw
    relation is a clean row, a quarantined row or an identical copy collapsed
    into one of them, in the triaged `model` (rejection_reason null = clean,
    collapsed_duplicate_count). Put on the table that triages a source, so in
    `dbt build` every model downstream of it waits for this test and is
    skipped when it fails: nothing is published from a build whose rows do
    not add up.

    In dbt build and dbt test the counts are queried first and a mismatch
    stops with a message giving them and the remedy (the usual cause: rows
    back-loaded with a loaded_at older than the incremental lookback, which an
    incremental run does not read). Elsewhere (dbt compile, docs) the test is
    plain SQL: one row, with the counts, when they do not add up.
-#}
{% test raw_rows_reconcile(model, raw_relation) %}
{%- set counts_sql -%}
    select
        raw_rows.n_rows as raw_rows,
        triaged.n_clean as clean_rows,
        triaged.n_triaged - triaged.n_clean as quarantined_rows,
        triaged.n_collapsed as collapsed_rows
    from (
        select count(*) as n_rows from {{ raw_relation }}
    ) as raw_rows
    cross join (
        select
            count(*) as n_triaged,
            coalesce(sum(case when rejection_reason is null then 1 else 0 end), 0) as n_clean,
            coalesce(sum(collapsed_duplicate_count), 0) as n_collapsed
        from {{ model }}
    ) as triaged
{%- endset -%}
{%- if execute and flags.WHICH in ['build', 'test', 'retry'] -%}
    {%- set counts = run_query(counts_sql).rows[0] -%}
    {%- set accounted = counts[1] + counts[2] + counts[3] -%}
    {%- if counts[0] != accounted -%}
        {%- set numbers = '{:,}'.format(counts[0] | int) ~ ' raw rows in ' ~ raw_relation
            ~ ', ' ~ '{:,}'.format(accounted | int) ~ ' in ' ~ model
            ~ ' (clean ' ~ '{:,}'.format(counts[1] | int) ~ ' + quarantined ' ~ '{:,}'.format(counts[2] | int)
            ~ ' + collapsed ' ~ '{:,}'.format(counts[3] | int) ~ ')' -%}
        {%- if counts[0] > accounted -%}
            {%- set cause = '{:,}'.format((counts[0] - accounted) | int) ~ ' raw rows are in no model.'
                ~ ' An incremental run reads only rows loaded within incremental_lookback_days ('
                ~ var('incremental_lookback_days') ~ ') of the last build: rows back-loaded with an older'
                ~ ' loaded_at (a backfill, or a new integration\'s history) wait for a full refresh.' -%}
        {%- else -%}
            {%- set cause = '{:,}'.format((accounted - counts[0]) | int) ~ ' more rows were triaged than the raw'
                ~ ' table holds: raw rows were deleted or rewritten since the last build.' -%}
        {%- endif -%}
        {{ exceptions.raise_compiler_error(
            'raw rows do not reconcile: ' ~ numbers ~ '. ' ~ cause
            ~ ' Nothing downstream was built: the marts still hold the last good build.'
            ~ ' Run: dbt build --full-refresh (docs/bad_data.md). If a full refresh fails this way too,'
            ~ ' the cleaning lost rows: a bug to report.'
        ) }}
    {%- endif -%}
{%- endif -%}

select *
from ({{ counts_sql }}) as counts
where raw_rows <> clean_rows + quarantined_rows + collapsed_rows

{% endtest %}
