-- A segment row of the health_score_signals seed overrides the default
-- (segment `all`) row of the same signal and input (metric-definitions §6).
-- One that matches no default — a typo in signal_name or signal_input — would
-- be ignored and the segment scored with the defaults, silently. Returns
-- (fails on) every such row, with the inputs its signal does have.
with

signals as (
    select * from {{ ref('health_score_signals') }}
),

defaults as (
    select * from signals
    where segment = 'all'
),

final as (
    select
        overrides.segment,
        overrides.signal_name,
        overrides.signal_input
    from signals as overrides
    left join defaults
        on
            overrides.signal_name = defaults.signal_name
            and overrides.signal_input = defaults.signal_input
    where
        overrides.segment <> 'all'
        and defaults.signal_input is null
)

select * from final
