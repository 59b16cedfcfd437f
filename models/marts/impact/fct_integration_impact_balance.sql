-- Covariate balance of the §8 matching, per integration × covariate level:
-- how different adopters and non-adopters were before matching and how
-- different the matched groups still are. Standardized mean differences on
-- the uncoarsened values, ÷ the treated SD before matching (as MatchIt for
-- the ATT); variance ratios for numeric covariates. At the default T0 only.
-- Incremental (replace_groups): a run computes only the integration × T0
-- groups int_account_snapshots rewrote since this model last read them.
{%- set matching = integration_adoption.impact_matching_arguments() %}
{{ config(**integration_adoption.incremental_by_group_config(
    ['integration_key', 't0_date'], follows='int_account_snapshots', basis=matching)) }}
with

snapshots as (
    select * from {{ ref('int_account_snapshots') }}
    where is_default_t0 and {{ integration_adoption.in_groups_to_rebuild() }}
),

strata as (
    select * from {{ ref('int_account_impact_strata') }}
    where {{ integration_adoption.in_groups_to_rebuild() }}
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

snapshot_dates as (
    select
        t0_date,
        max(outcome_month_date) as outcome_month_date
    from snapshots
    group by t0_date
),

balance as (
    {{ integration_adoption.cem_balance(
        relation='stratified',
        treatment=matching.treatment,
        covariates=matching.covariates,
        group_by=matching.group_by,
        stratum='stratum_key',
    ) }}
),

final as (
    {#- the contract's string type: an incremental run's schema check compares with it #}
    {%- set string = integration_adoption.type_contract_string() %}
    select
        ---------- ids
        cast(balance.integration_key as {{ string }}) as integration_key,

        ---------- strings
        cast(balance.covariate as {{ string }}) as covariate,
        cast(balance.covariate_level as {{ string }}) as covariate_level,
        cast(balance.covariate_kind as {{ string }}) as covariate_kind,

        ---------- numerics
        cast(balance.treated_count as {{ dbt.type_bigint() }}) as treated_accounts,
        cast(balance.control_count as {{ dbt.type_bigint() }}) as control_accounts,
        cast(balance.matched_treated_count as {{ dbt.type_bigint() }}) as matched_treated_accounts,
        cast(balance.matched_control_count as {{ dbt.type_bigint() }}) as matched_control_accounts,
        balance.treated_mean_before,
        balance.control_mean_before,
        balance.standardized_mean_difference_before,
        balance.variance_ratio_before,
        balance.treated_mean_after,
        balance.control_mean_after,
        balance.standardized_mean_difference_after,
        balance.variance_ratio_after,

        ---------- dates
        snapshot_dates.t0_date,
        snapshot_dates.outcome_month_date
    from balance
    inner join snapshot_dates
        on balance.t0_date = snapshot_dates.t0_date
)

select * from final
