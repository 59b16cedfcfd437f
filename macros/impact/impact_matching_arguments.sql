{#- The §8 matching of int_account_impact_strata, fct_integration_impact and
    fct_integration_impact_balance, in one place so they always match on the
    same terms: outcomes (with how their E-value is read, §8.1) and
    covariates (with their coarsening, from vars) of int_account_snapshots,
    one analysis per integration × T0 (the MRR-band quantiles are cut
    within each). -#}
{% macro impact_matching_arguments() -%}
    {{ return({
        'treatment': 'is_treated',
        'outcomes': [
            {'name': 'retained', 'expression': 'case when is_retained then 1 else 0 end', 'e_value': 'risk_ratio'},
            {'name': 'nrr', 'expression': 'nrr', 'e_value': 'standardized'},
            {'name': 'expanded', 'expression': 'case when is_expanded then 1 else 0 end', 'e_value': 'risk_ratio'},
        ],
        'covariates': [
            'plan',
            'segment',
            'industry',
            {'name': 'employee_count', 'cuts': var('employee_band_cuts')},
            {'name': 'tenure_months', 'cuts': var('tenure_band_cuts_months')},
            {'name': 'mrr_at_t0', 'quantiles': var('mrr_band_quantiles')},
        ],
        'group_by': ['integration_key', 't0_date'],
    }) }}
{%- endmacro %}
