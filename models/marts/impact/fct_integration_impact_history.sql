-- The §8 matched comparison per integration × outcome × T0 (§8.1
-- "Stability over T0"; the T0s: int_account_snapshot_dates): adopters
-- compared with similar non-adopters at T0 within the strata of
-- int_account_impact_strata (macro cem_effects, one analysis per
-- integration × T0), the ATT with its §8 interval, the robust interval and
-- the E-value (§8.1), the band it falls in, and the metric-tree branches
-- that explain a weak lift. fct_integration_impact is its default-T0 rows.
-- Correlational: matching only evens out what is observed. Cost grows with
-- accounts alive at each T0 × T0s × integrations. Incremental (replace_groups):
-- a run computes only the integration × T0 groups int_account_snapshots
-- rewrote since this model last read them.
{%- set matching = integration_adoption.impact_matching_arguments() %}
{{ config(**integration_adoption.incremental_by_group_config(
    ['integration_key', 't0_date'], follows='int_account_snapshots', basis=matching)) }}
with

snapshots as (
    select * from {{ ref('int_account_snapshots') }}
    where {{ integration_adoption.in_groups_to_rebuild() }}
),

strata as (
    select * from {{ ref('int_account_impact_strata') }}
    where {{ integration_adoption.in_groups_to_rebuild() }}
),

bands as (
    select * from {{ ref('impact_bands') }}
),

stratified as (
    select
        snapshots.*,
        strata.stratum_key
    from snapshots
    inner join strata
        on
            snapshots.account_id = strata.account_id
            and snapshots.integration_key = strata.integration_key
            and snapshots.t0_date = strata.t0_date
),

impact as (
    {{ integration_adoption.cem_effects(
        relation='stratified',
        treatment=matching.treatment,
        outcomes=matching.outcomes,
        group_by=matching.group_by,
        stratum='stratum_key',
    ) }}
),

-- the metric-tree branches: reach, sustained usage, workflow embedding
metric_tree as (
    select
        integration_key,
        t0_date,
        is_default_t0,
        max(outcome_month_date) as outcome_month_date,
        count(*) as alive_accounts,
        sum(case when adoption_status = 'treated' then 1 else 0 end) as treated_accounts,
        sum(case when adoption_status = 'control' then 1 else 0 end) as control_accounts,
        sum(case when adoption_status = 'neither' then 1 else 0 end) as neither_accounts,
        sum(connections_activated_before_t0) as activated_connections,
        sum(connections_active_at_t0) as active_connections_at_t0,
        avg(
            case when adoption_status = 'treated' then cast(features_in_use_at_t0 as {{ integration_adoption.type_double() }}) end
        ) as treated_mean_features_in_use
    from snapshots
    group by integration_key, t0_date, is_default_t0
),

joined as (
    select
        metric_tree.integration_key,
        impact.outcome,
        metric_tree.alive_accounts,
        metric_tree.treated_accounts,
        metric_tree.control_accounts,
        metric_tree.neither_accounts,
        coalesce(impact.matched_treated_count, 0) as matched_treated_accounts,
        coalesce(impact.unmatched_treated_count, metric_tree.treated_accounts) as unmatched_treated_accounts,
        coalesce(impact.matched_control_count, 0) as matched_control_accounts,
        coalesce(impact.unmatched_control_count, metric_tree.control_accounts) as unmatched_control_accounts,
        coalesce(impact.matched_strata_count, 0) as matched_strata,
        impact.treated_mean,
        impact.control_mean,
        impact.naive_difference,
        impact.matched_treated_mean,
        impact.matched_control_mean,
        impact.att,
        impact.att_se,
        impact.att_ci_lower,
        impact.att_ci_upper,
        impact.robust_ci_lower,
        impact.robust_ci_upper,
        impact.interval_method,
        100 * impact.att as lift_points,
        impact.e_value,
        impact.e_value_ci,
        impact.e_value_note,
        metric_tree.activated_connections,
        metric_tree.active_connections_at_t0,
        metric_tree.treated_mean_features_in_use,
        metric_tree.is_default_t0,
        metric_tree.t0_date,
        metric_tree.outcome_month_date
    from metric_tree
    inner join impact
        on
            metric_tree.integration_key = impact.integration_key
            and metric_tree.t0_date = impact.t0_date
),

final as (
    {#- the contract's string type: an incremental run's schema check compares with it #}
    {%- set string = integration_adoption.type_contract_string() %}
    select
        ---------- ids
        cast(joined.integration_key as {{ string }}) as integration_key,

        ---------- strings
        cast(joined.outcome as {{ string }}) as outcome,
        cast(case when joined.outcome = 'nrr' then 'ratio' else 'rate' end as {{ string }}) as outcome_kind,
        cast(bands.impact_band as {{ string }}) as impact_band,
        cast(bands.recommended_response as {{ string }}) as recommended_response,
        cast(joined.e_value_note as {{ string }}) as e_value_note,
        cast(joined.interval_method as {{ string }}) as interval_method,

        ---------- numerics
        cast({{ var('impact_horizon_months') }} as {{ dbt.type_int() }}) as horizon_months,
        cast(joined.alive_accounts as {{ dbt.type_bigint() }}) as alive_accounts,
        cast(joined.treated_accounts as {{ dbt.type_bigint() }}) as treated_accounts,
        cast(joined.control_accounts as {{ dbt.type_bigint() }}) as control_accounts,
        cast(joined.neither_accounts as {{ dbt.type_bigint() }}) as neither_accounts,
        cast(joined.matched_treated_accounts as {{ dbt.type_bigint() }}) as matched_treated_accounts,
        cast(joined.unmatched_treated_accounts as {{ dbt.type_bigint() }}) as unmatched_treated_accounts,
        cast(joined.matched_control_accounts as {{ dbt.type_bigint() }}) as matched_control_accounts,
        cast(joined.unmatched_control_accounts as {{ dbt.type_bigint() }}) as unmatched_control_accounts,
        cast(joined.matched_strata as {{ dbt.type_bigint() }}) as matched_strata,
        joined.treated_mean,
        joined.control_mean,
        joined.naive_difference,
        joined.matched_treated_mean,
        joined.matched_control_mean,
        joined.att,
        joined.att_se,
        joined.att_ci_lower,
        joined.att_ci_upper,
        joined.robust_ci_lower,
        joined.robust_ci_upper,
        100 * joined.naive_difference as naive_difference_points,
        joined.lift_points,
        100 * joined.att_ci_lower as lift_ci_lower_points,
        100 * joined.att_ci_upper as lift_ci_upper_points,
        joined.e_value,
        joined.e_value_ci,
        {{ integration_adoption.safe_divide('joined.treated_accounts', 'joined.alive_accounts') }}
            as adoption_reach_rate,
        cast(joined.activated_connections as {{ dbt.type_bigint() }}) as activated_connections,
        cast(joined.active_connections_at_t0 as {{ dbt.type_bigint() }}) as active_connections_at_t0,
        {{ integration_adoption.safe_divide('joined.active_connections_at_t0', 'joined.activated_connections') }}
            as sustained_usage_rate,
        joined.treated_mean_features_in_use,

        ---------- booleans
        coalesce(joined.att_ci_lower > 0 or joined.att_ci_upper < 0, false) as is_significant,
        joined.is_default_t0,

        ---------- dates
        joined.t0_date,
        joined.outcome_month_date
    from joined
    left join bands
        on
            (
                bands.min_lift_points is null
                or joined.lift_points > bands.min_lift_points
                or (bands.min_is_inclusive and joined.lift_points = bands.min_lift_points)
            )
            and (
                bands.max_lift_points is null
                or joined.lift_points < bands.max_lift_points
                or (bands.max_is_inclusive and joined.lift_points = bands.max_lift_points)
            )
)

select * from final
