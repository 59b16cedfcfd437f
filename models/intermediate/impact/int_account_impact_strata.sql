-- Each account's stratum for the §8 matching, per integration: the tuple of
-- its coarsened covariates at T0 (macro cem_coarsen). Coarsened once here,
-- read by fct_integration_impact and fct_integration_impact_balance, so both
-- match on the same strata. Cost grows with accounts alive at T0 ×
-- integrations.
{%- set matching = integration_adoption.impact_matching_arguments() %}
with

snapshots as (
    select * from {{ ref('int_account_snapshots') }}
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
        cem_stratum as stratum_key
    from coarsened
)

select * from final
