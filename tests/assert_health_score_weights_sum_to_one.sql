-- Each segment's effective weights (its own rows, else the `all` defaults)
-- must sum to 1 over the six signals, with one weight per signal.
with

signals as (
    select * from {{ ref('health_score_signals') }}
),

segments as (
    select 'smb' as segment
    union all select 'mid_market'
    union all select 'enterprise'
),

effective as (
    select
        segments.segment,
        defaults.signal,
        defaults.input,
        coalesce(overrides.weight, defaults.weight) as weight
    from segments
    cross join signals as defaults
    left join signals as overrides
        on segments.segment = overrides.segment
        and defaults.signal = overrides.signal
        and defaults.input = overrides.input
    where defaults.segment = 'all'
),

per_signal as (
    select
        segment,
        signal,
        min(weight) as weight,
        count(distinct weight) as n_weights
    from effective
    group by segment, signal
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
where abs(total_weight - 1) > 0.000001
    or max_weights_per_signal > 1
