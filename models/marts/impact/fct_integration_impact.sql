-- The §8 matched comparison per integration × outcome at the default T0:
-- the default-T0 rows of fct_integration_impact_history, where the number
-- is computed (adopters compared with similar non-adopters at T0 within
-- the strata of int_account_impact_strata, the ATT with its §8 interval,
-- the robust interval and the E-value of §8.1, the band, the metric-tree
-- branches). Correlational: matching only evens out what is observed.
with

history as (
    select * from {{ ref('fct_integration_impact_history') }}
),

final as (
    select
        ---------- ids
        integration_key,

        ---------- strings
        outcome,
        outcome_kind,
        impact_band,
        recommended_response,
        e_value_note,
        interval_method,

        ---------- numerics
        horizon_months,
        alive_accounts,
        treated_accounts,
        control_accounts,
        neither_accounts,
        matched_treated_accounts,
        unmatched_treated_accounts,
        matched_control_accounts,
        unmatched_control_accounts,
        matched_strata,
        treated_mean,
        control_mean,
        naive_difference,
        matched_treated_mean,
        matched_control_mean,
        att,
        att_se,
        att_ci_lower,
        att_ci_upper,
        robust_ci_lower,
        robust_ci_upper,
        naive_difference_points,
        lift_points,
        lift_ci_lower_points,
        lift_ci_upper_points,
        e_value,
        e_value_ci,
        adoption_reach_rate,
        activated_connections,
        active_connections_at_t0,
        sustained_usage_rate,
        treated_mean_features_in_use,

        ---------- booleans
        is_significant,

        ---------- dates
        t0_date,
        outcome_month_date
    from history
    where is_default_t0
)

select * from final
