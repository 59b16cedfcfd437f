-- Each segment's effective weights (its own rows, else the `all` default_rows)
-- must sum to 1 over the six signals, with one weight per signal
-- (metric-definitions §6).
with

signals as (
    select * from {{ ref('health_score_signals') }}
),

segments as (
    -- `all` stands for every segment without override_rows of its own
    select distinct segment from signals
),

effective as (
    select
        segments.segment,
        default_rows.signal_name,
        default_rows.signal_input,
        coalesce(override_rows.weight, default_rows.weight) as weight
    from segments
    cross join signals as default_rows
    left join signals as override_rows
        on
            segments.segment = override_rows.segment
            and default_rows.signal_name = override_rows.signal_name
            and default_rows.signal_input = override_rows.signal_input
    where default_rows.segment = 'all'
),

per_signal as (
    select
        segment,
        signal_name,
        min(weight) as weight,
        count(distinct weight) as n_weights
    from effective
    group by segment, signal_name
),

per_segment as (
    select
        segment,
        sum(weight) as total_weight,
        max(n_weights) as max_weights_per_signal
    from per_signal
    group by segment
)

select * from per_segment
where
    abs(total_weight - 1) > 0.000001
    or max_weights_per_signal > 1
