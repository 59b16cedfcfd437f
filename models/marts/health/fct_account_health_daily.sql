-- The account health score (metric-definitions §6): six signals, each a sub-score 0–100, weighted
-- per segment (health_score_signals seed), a missing one left out and the others renormalised; only
-- on the days the account is scored on (int_account_scored_days), stored daily over the recent window
-- and on Mondays before; changes compare with the score of d − short and d − long, stored or not.
-- Incremental (replace_days): rescores from the newest stored day minus the lookback, reading only
-- the inputs the changes compare with before it; a pre-hook first deletes the days from the first one
-- a late churn or return made stale, a post-hook the days that left the daily window.
{%- set short_days = var('health_short_window_days') %}
{%- set long_days = var('health_long_window_days') %}
{%- set signal_names = ['activation_depth', 'usage_volume', 'health_status', 'frequency', 'sophistication', 'growth'] %}
{{ config(
    pre_hook=["{{ integration_adoption.drop_stale_account_health_scores(
        ref('int_account_health_inputs'), ref('int_account_alive_months'), ref('int_as_of_date')) }}"],
    post_hook=["{{ integration_adoption.prune_account_health_scores() }}",
        "{{ integration_adoption.record_account_health_basis(
            ref('int_account_health_inputs'), ref('int_account_alive_months')) }}"],
    **integration_adoption.incremental_replace_days_config('score_date')) }}
{%- if is_incremental() %}
    {#- every day if the pre-hook left no row; changes read d - long .. newest - long, and d - short on,
        bounded on the view's side too (DuckDB carries no bound across the join into it) #}
    {%- set rescore_from = 'coalesce(' ~ integration_adoption.incremental_first_day('score_date')
        ~ ", cast('1900-01-01' as date))" %}
    {%- set long_before = integration_adoption.add_days(-long_days, 'max(computation_date)') %}
    {%- set read_days = [integration_adoption.add_days(-long_days, rescore_from), integration_adoption.add_days(
        -short_days, rescore_from), '(select ' ~ long_before ~ ' from ' ~ ref('int_account_health_inputs') ~ ')'] %}
{%- endif %}
with

inputs as (
    -- a day the account is not scored on has no score to store or compare with
    select all_inputs.*
    from {{ ref('int_account_health_inputs') }} as all_inputs
    inner join {{ ref('int_account_scored_days') }} as scored_days
        on
            all_inputs.account_id = scored_days.account_id
            and all_inputs.computation_date = scored_days.computation_date
    where
        scored_days.is_scored
        and {{ 'all_inputs.computation_date >= ' ~ read_days[0] if is_incremental() else 'true' }}
        and {{ 'scored_days.computation_date >= ' ~ read_days[0] if is_incremental() else 'true' }}
        and {{ '(scored_days.computation_date >= ' ~ read_days[1] ~ ' or scored_days.computation_date <= '
            ~ read_days[2] ~ ')' if is_incremental() else 'true' }}
),

with_parameters as (
    select
        inputs.*,
        {%- for signal in signal_names %}
            score_parameters.{{ signal }}_weight,{{ ' score_parameters.' ~ signal ~ '_combine,' if loop.index <= 4 }}
        {%- endfor %}
        {%- for input in [
            'active_integrations', 'active_categories', 'api_calls_per_day_7d', 'records_7d',
            'success_rate_7d', 'failures_7d', 'days_since_last_work', 'scheduled_share_30d',
            'mean_days_between_work_30d', 'max_features_on_active_connection', 'records_growth_30d',
        ] %}
        {{ integration_adoption.linear_subscore(
            'inputs.' ~ input, 'score_parameters.' ~ input ~ '_at_risk', 'score_parameters.' ~ input ~ '_healthy') }}
                as {{ input }}_points
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from inputs
    inner join {{ ref('int_health_score_parameters') }} as score_parameters
        on inputs.segment = score_parameters.segment
),

signals as (
    select
        *,
        {{ integration_adoption.combine_subscores('activation_depth_combine',
            ['active_integrations_points', 'active_categories_points']) }} as activation_depth_score,
        {{ integration_adoption.combine_subscores('usage_volume_combine',
            ['api_calls_per_day_7d_points', 'records_7d_points']) }} as usage_volume_score,
        -- missing without an attempt in the 7-day window; never worked = 0 points on recency
        case
            when attempts_7d > 0 then {{ integration_adoption.combine_subscores('health_status_combine',
                ['success_rate_7d_points', 'failures_7d_points', 'coalesce(days_since_last_work_points, 0)']) }}
        end as health_status_score,
        -- missing without an attempt in the 30-day window; with attempts but no
        -- work the scheduled share is undefined and the min is the gap's
        case
            when attempts_30d > 0 then {{ integration_adoption.combine_subscores('frequency_combine',
                ['scheduled_share_30d_points', 'mean_days_between_work_30d_points']) }}
        end as frequency_score,
        case
            when attempts_30d > 0 then max_features_on_active_connection_points
        end as sophistication_score,
        -- missing when the earlier 30 days had no records
        records_growth_30d_points as growth_score
    from with_parameters
),

{%- set present_weight -%}
    ({% for signal in signal_names %}case when {{ signal }}_score is not null then {{ signal }}_weight else 0 end{% if not loop.last %} + {% endif %}{% endfor %})
{%- endset %}

scored as (
    select
        *,
        (
            {%- for signal in signal_names %}
                coalesce({{ signal }}_weight * {{ signal }}_score, 0)
                {%- if not loop.last %} +{% endif %}
            {%- endfor %}
        ) / {{ present_weight }} as health_score,
        {{ present_weight }} as present_weight,
        nullif(concat_ws(
            ',',
            {%- for signal in signal_names %}
                case when {{ signal }}_score is null then '{{ signal }}' end
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        ), '') as missing_signals
    from signals
),

compared as (
    {%- set day_number = dbt.datediff("cast('1970-01-01' as date)", 'computation_date', 'day') %}
    select
        *,
        {%- for name, offset in [('week_before', short_days), ('month_before', long_days)] %}
            max(health_score) over (
                partition by account_id
                order by {{ day_number }}
                range between {{ offset }} preceding and {{ offset }} preceding
            ) as {{ name }}_health_score
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from scored
),

final as (
    select
        ---------- ids
        cast(scored.account_id as {{ integration_adoption.type_contract_string() }}) as account_id,

        ---------- strings
        cast(scored.segment as {{ integration_adoption.type_contract_string() }}) as segment,
        cast(
            case
                when scored.health_score >= {{ var('health_band_healthy_min') }} then 'healthy'
                when scored.health_score >= {{ var('health_band_needs_attention_min') }}
                    then 'needs_attention'
                else 'at_risk'
            end as {{ integration_adoption.type_contract_string() }}
        ) as health_band,
        cast(
            case
                when scored.week_before_health_score is null then null
                when scored.health_score - scored.week_before_health_score >= {{ var('health_trend_flat_points') }}
                    then 'up'
                when scored.health_score - scored.week_before_health_score <= -{{ var('health_trend_flat_points') }}
                    then 'down'
                else 'flat'
            end as {{ integration_adoption.type_contract_string() }}
        ) as trend,
        cast(scored.missing_signals as {{ integration_adoption.type_contract_string() }}) as missing_signals,

        ---------- numerics: the score and its parts
        {%- set double = integration_adoption.type_double() %}
        cast(scored.health_score as {{ double }}) as health_score,
        cast(scored.health_score - scored.week_before_health_score as {{ double }}) as score_change_7d,
        cast(scored.health_score - scored.month_before_health_score as {{ double }}) as score_change_30d,
        {%- for signal in signal_names %}
            cast(scored.{{ signal }}_score as {{ double }}) as {{ signal }}_score,
        {%- endfor %}
        {%- for signal in signal_names %}
            cast(scored.{{ signal }}_weight as {{ double }}) as {{ signal }}_weight,
        {%- endfor %}
        cast(scored.present_weight as {{ double }}) as present_weight,

        ---------- numerics: raw inputs
        cast(scored.active_integrations as {{ dbt.type_bigint() }}) as active_integrations,
        cast(scored.active_categories as {{ dbt.type_bigint() }}) as active_categories,
        cast(scored.api_calls_per_day_7d as {{ double }}) as api_calls_per_day_7d,
        cast(scored.records_7d as {{ dbt.type_bigint() }}) as records_7d,
        cast(scored.attempts_7d as {{ dbt.type_bigint() }}) as attempts_7d,
        cast(scored.success_rate_7d as {{ double }}) as success_rate_7d,
        cast(scored.failures_7d as {{ dbt.type_bigint() }}) as failures_7d,
        cast(scored.days_since_last_work as {{ dbt.type_bigint() }}) as days_since_last_work,
        cast(scored.attempts_30d as {{ dbt.type_bigint() }}) as attempts_30d,
        cast(scored.scheduled_share_30d as {{ double }}) as scheduled_share_30d,
        cast(scored.mean_days_between_work_30d as {{ double }}) as mean_days_between_work_30d,
        cast(scored.max_features_on_active_connection as {{ dbt.type_bigint() }})
            as max_features_on_active_connection,
        cast(scored.records_30d as {{ dbt.type_bigint() }}) as records_30d,
        cast(scored.records_prev_30d as {{ dbt.type_bigint() }}) as records_prev_30d,
        cast(scored.records_growth_30d as {{ double }}) as records_growth_30d,

        ---------- dates
        scored.computation_date as score_date,
        scored.last_work_date
    from compared as scored
    where
        scored.is_stored
        and {{ 'scored.computation_date >= ' ~ rescore_from if is_incremental() else 'true' }}
)

select * from final
