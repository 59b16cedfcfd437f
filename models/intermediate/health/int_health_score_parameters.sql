-- The health score's parameters (metric-definitions §6) for each segment, one
-- row per segment: the health_score_signals seed with its `all` defaults
-- overridden by the segment's own rows, pivoted so the score model reads one
-- column per input. Segment `unknown` (accounts missing from the accounts
-- table) gets the defaults.
{%- set inputs = [
    'active_integrations', 'active_categories',
    'api_calls_per_day_7d', 'records_7d',
    'success_rate_7d', 'failures_7d', 'days_since_last_work',
    'scheduled_share_30d', 'mean_days_between_work_30d',
    'max_features_on_active_connection',
    'records_growth_30d',
] %}
{%- set signals = [
    'activation_depth', 'usage_volume', 'health_status', 'frequency', 'sophistication', 'growth',
] %}
with

signals as (
    select * from {{ ref('health_score_signals') }}
),

segments as (
    select distinct segment from signals
    union
    -- accounts missing from the accounts table take the defaults
    select 'unknown' as segment
    union
    {%- for segment in var('segments') %}
        select '{{ segment }}' as segment
        {%- if not loop.last %}
            union
        {%- endif %}
    {%- endfor %}
),

effective as (
    select
        segments.segment,
        default_rows.signal_name,
        default_rows.signal_input,
        coalesce(override_rows.weight, default_rows.weight) as weight,
        coalesce(override_rows.at_risk_value, default_rows.at_risk_value) as at_risk_value,
        coalesce(override_rows.healthy_value, default_rows.healthy_value) as healthy_value,
        coalesce(override_rows.combine, default_rows.combine) as combine
    from segments
    cross join signals as default_rows
    left join signals as override_rows
        on
            segments.segment = override_rows.segment
            and default_rows.signal_name = override_rows.signal_name
            and default_rows.signal_input = override_rows.signal_input
    where default_rows.segment = 'all'
),

final as (
    select
        segment,
        -- a signal's inputs share its weight (§6): else its weight column below is ambiguous
        count(distinct signal_name)
        = count(distinct signal_name || '|' || cast(weight as {{ dbt.type_string() }})) as has_one_weight_per_signal,
        {%- for input in inputs %}
            max(case when signal_input = '{{ input }}' then at_risk_value end) as {{ input }}_at_risk,
            max(case when signal_input = '{{ input }}' then healthy_value end) as {{ input }}_healthy,
        {%- endfor %}
        {%- for signal in signals %}
            max(case when signal_name = '{{ signal }}' then weight end) as {{ signal }}_weight,
            max(case when signal_name = '{{ signal }}' then combine end) as {{ signal }}_combine
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from effective
    group by segment
)

select * from final
