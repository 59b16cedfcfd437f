-- Each account's stratum for the §8 matching, per integration × T0: the
-- tuple of its coarsened covariates at T0 (macro cem_coarsen; the MRR
-- quantiles are cut per integration × T0). Coarsened once here, read by
-- fct_integration_impact_history and fct_integration_impact_balance, so
-- both match on the same strata. Cost grows with accounts alive at each T0
-- × T0s × integrations. Incremental (replace_groups): a run computes only
-- the integration × T0 groups int_account_snapshots rewrote since this model
-- last read them.
{%- set matching = integration_adoption.impact_matching_arguments() %}
{{ config(**integration_adoption.incremental_by_group_config(
    ['integration_key', 't0_date'], follows='int_account_snapshots', basis=matching)) }}
with

snapshots as (
    select * from {{ ref('int_account_snapshots') }}
    where {{ integration_adoption.in_groups_to_rebuild() }}
),

coarsened as (
    {{ integration_adoption.cem_coarsen(
        relation='snapshots',
        covariates=matching.covariates,
        group_by=matching.group_by,
    ) }}
),

final as (
    select
        ---------- ids
        account_id,
        integration_key,

        ---------- strings
        cem_stratum as stratum_key,

        ---------- dates
        t0_date
    from coarsened
)

select * from final
