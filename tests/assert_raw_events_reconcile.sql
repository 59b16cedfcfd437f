-- Nothing is lost silently (metric-definitions §2): every raw event row is a
-- clean event, a quarantined row, or an identical copy collapsed into one of
-- them. Returns a row (fails) when the three do not add up to the raw count.
with

raw_rows as (
    select count(*) as n_rows from {{ source('product', 'integration_events') }}
),

clean as (
    select
        count(*) as n_rows,
        coalesce(sum(collapsed_duplicate_count), 0) as n_collapsed
    from {{ ref('stg_product__integration_events') }}
),

quarantined as (
    select
        count(*) as n_rows,
        coalesce(sum(collapsed_duplicate_count), 0) as n_collapsed
    from {{ ref('stg_product__integration_events_rejected') }}
),

final as (
    select
        raw_rows.n_rows as raw_rows,
        clean.n_rows as clean_rows,
        quarantined.n_rows as quarantined_rows,
        clean.n_collapsed + quarantined.n_collapsed as collapsed_rows
    from raw_rows
    cross join clean
    cross join quarantined
)

select * from final
where raw_rows != clean_rows + quarantined_rows + collapsed_rows
