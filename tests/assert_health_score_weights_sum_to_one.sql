{{ config(group='health') }}
-- Each segment's effective weights, as the score reads them
-- (int_health_score_parameters: its own rows, else the `all` defaults), sum to
-- 1 over the six signals, with one weight per signal (metric-definitions §6).
{%- set signals = [
    'activation_depth', 'usage_volume', 'health_status', 'frequency', 'sophistication', 'growth',
] %}
with

parameters as (
    select * from {{ ref('int_health_score_parameters') }}
),

weights as (
    select
        segment,
        has_one_weight_per_signal,
        {%- for signal in signals %}
            {{ signal }}_weight{% if not loop.last %} +{% endif %}
        {%- endfor %} as total_weight
    from parameters
)

select * from weights
where
    not has_one_weight_per_signal
    or total_weight is null
    or abs(total_weight - 1) > 0.000001
