{#-
    Coarsened exact matching (metric-definitions §8) on any relation, for
    the ATT, in one call: cem_coarsen, then cem_effects or cem_balance.
    One call does every group (e.g. every integration). To coarsen once
    for both outputs, call cem_coarsen in a model and cem_effects and
    cem_balance on it (as int_account_impact_strata and the impact marts).

    relation   table, ref() or CTE name; one row per unit (account)
    treatment  boolean SQL expression: true = treated, false = control,
               null = neither (left out of the matching, still counted in
               the quantile cut points)
    outcomes   list of column names or {'name': .., 'expression': ..,
               'e_value': ..} (numeric; a row whose outcome is null is left
               out of that outcome's analysis)
    covariates list of column names (categorical, matched exactly) or
               {'name': .., 'expression': .., 'cuts': [..]} / {.., 'quantiles': n}
               (numeric, coarsened into left-closed bins [a, b))
    group_by   columns that split the analysis (non-null)
    weight     optional frequency weight (a row counts as w units)
    output     'effects' (one row per group × outcome) or 'balance' (one
               row per group × covariate level)
    z          the interval's normal quantile (1.96 for 95%)
-#}
{% macro coarsened_exact_matching(
    relation,
    treatment,
    outcomes,
    covariates,
    group_by=[],
    weight=none,
    output='effects',
    z=1.96
) -%}
    {{ return(adapter.dispatch('coarsened_exact_matching', 'integration_adoption')(
        relation, treatment, outcomes, covariates, group_by, weight, output, z
    )) }}
{%- endmacro %}

{% macro default__coarsened_exact_matching(
    relation, treatment, outcomes, covariates, group_by, weight, output, z
) -%}
{%- if output not in ['effects', 'balance'] -%}
    {{ exceptions.raise_compiler_error(
        "coarsened_exact_matching: output must be 'effects' or 'balance', not " ~ output
    ) }}
{%- endif -%}
with

cem__coarsened_units as (
    {{ integration_adoption.cem_coarsen(relation, covariates, group_by) }}
),

cem__result as (
    {%- if output == 'effects' %}
    {{ integration_adoption.cem_effects(
        'cem__coarsened_units', treatment, outcomes, group_by, weight, z
    ) }}
    {%- else %}
    {{ integration_adoption.cem_balance('cem__coarsened_units', treatment, covariates, group_by, weight) }}
    {%- endif %}
)

select * from cem__result
{%- endmacro %}
