{#-
    Coarsened exact matching (metric-definitions §8) on any relation, for
    the ATT. One call does every group (e.g. every integration).

    relation   table, ref() or CTE name; one row per unit (account)
    treatment  boolean SQL expression: true = treated, false = control,
               null = neither (left out of the matching, still counted in
               the quantile cut points)
    outcomes   list of column names or {'name': .., 'expression': ..}
               (numeric; a row whose outcome is null is left out of that
               outcome's analysis)
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
{%- set outs = integration_adoption.cem_outcome_specs(outcomes) -%}
{%- set covs = integration_adoption.cem_covariate_specs(covariates) -%}
{%- set keys = group_by + ['cem__one'] -%}
{%- set double = integration_adoption.type_double() -%}
{%- set string = dbt.type_string() -%}
{%- set bigint = dbt.type_bigint() -%}
with

cem__source as (
    select
        {%- for column in group_by %}
        {{ column }},
        {%- endfor %}
        1 as cem__one,
        case
            when {{ treatment }} then 1
            when not ({{ treatment }}) then 0
        end as cem__treated,
        cast({{ weight if weight else 1 }} as {{ double }}) as cem__weight,
        {%- for out in outs %}
        cast({{ out.expression }} as {{ double }}) as cem__y_{{ loop.index }},
        {%- endfor %}
        {%- for cov in covs %}
        {%- if cov.kind == 'numeric' %}
        cast({{ cov.expression }} as {{ double }}) as cem__x_{{ loop.index }}
        {%- else %}
        coalesce(cast({{ cov.expression }} as {{ string }}), '(missing)') as cem__x_{{ loop.index }}
        {%- endif %}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
),

-- quantile cut points per group, over every row (treated, control or neither)
cem__cuts as (
    select
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        {%- for cov in covs if cov.quantiles %}
        {%- set cov_index = cov.index %}
        {%- for k in range(1, cov.quantiles) %}
        {{ integration_adoption.percentile_cont('cem__x_' ~ cov_index, k / cov.quantiles) }}
        as cem__q_{{ cov_index }}_{{ k }},
        {%- endfor %}
        {%- endfor %}
        count(*) as cem__rows
    from cem__source
    group by {{ keys | join(', ') }}
),

cem__coarsened as (
    select
        {%- for column in keys %}
        cem__source.{{ column }},
        {%- endfor %}
        cem__source.cem__treated,
        cem__source.cem__weight,
        {%- for out in outs %}
        cem__source.cem__y_{{ loop.index }},
        {%- endfor %}
        {%- for cov in covs %}
        cem__source.cem__x_{{ loop.index }},
        {%- endfor %}
        {%- set parts = [] %}
        {%- for cov in covs %}
        {%- if not loop.first %}{% do parts.append("'|'") %}{% endif %}
        {%- if cov.kind == 'categorical' %}
        {%- do parts.append('cem__source.cem__x_' ~ cov.index) %}
        {%- else %}
        {%- set x = 'cem__source.cem__x_' ~ cov.index %}
        {%- set bins = [] %}
        {%- if cov.quantiles %}
        {%- for k in range(1, cov.quantiles) %}
        {%- do bins.append('case when ' ~ x ~ ' >= cem__cuts.cem__q_' ~ cov.index ~ '_' ~ k ~ ' then 1 else 0 end') %}
        {%- endfor %}
        {%- else %}
        {%- for cut in cov.cuts %}
        {%- do bins.append('case when ' ~ x ~ ' >= ' ~ cut ~ ' then 1 else 0 end') %}
        {%- endfor %}
        {%- endif %}
        {%- do parts.append(
            "coalesce(cast(" ~ ((bins | join(' + ')) if bins else '0 * ' ~ x)
            ~ " as " ~ string ~ "), '(missing)')"
        ) %}
        {%- endif %}
        {%- endfor %}
        {{ dbt.concat(parts) }} as cem__stratum
    from cem__source
    inner join cem__cuts
        on
            {%- for column in keys %}
            {{ 'and ' if not loop.first }}cem__source.{{ column }} = cem__cuts.{{ column }}
            {%- endfor %}
    where cem__source.cem__treated is not null
),

{%- if output == 'effects' %}

cem__long as (
    {%- for out in outs %}
    select
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        '{{ out.name }}' as cem__outcome,
        cem__stratum,
        cem__treated,
        cem__weight,
        cem__y_{{ loop.index }} as cem__y
    from cem__coarsened
    where cem__y_{{ loop.index }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

cem__long_means as (
    select
        cem__long.*,
        sum(cem__weight * cem__y) over (
            partition by {{ keys | join(', ') }}, cem__outcome, cem__stratum, cem__treated
        ) / sum(cem__weight) over (
            partition by {{ keys | join(', ') }}, cem__outcome, cem__stratum, cem__treated
        ) as cem__cell_mean
    from cem__long
),

-- one row per group × outcome × stratum × arm
cem__cells as (
    select
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        cem__outcome,
        cem__stratum,
        cem__treated,
        count(*) as cem__n,
        sum(cem__weight) as cem__nw,
        max(cem__cell_mean) as cem__mean,
        sum(cem__weight * (cem__y - cem__cell_mean) * (cem__y - cem__cell_mean)) as cem__ss
    from cem__long_means
    group by {{ keys | join(', ') }}, cem__outcome, cem__stratum, cem__treated
),

cem__strata as (
    select
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        cem__outcome,
        cem__stratum,
        {%- for arm, flag in [('t', 1), ('c', 0)] %}
        coalesce(max(case when cem__treated = {{ flag }} then cem__n end), 0) as cem__n_{{ arm }},
        max(case when cem__treated = {{ flag }} then cem__nw end) as cem__nw_{{ arm }},
        max(case when cem__treated = {{ flag }} then cem__mean end) as cem__mean_{{ arm }},
        max(case when cem__treated = {{ flag }} then cem__ss end) as cem__ss_{{ arm }}{{ ',' if loop.first }}
        {%- endfor %}
    from cem__cells
    group by {{ keys | join(', ') }}, cem__outcome, cem__stratum
),

-- strata with both a treated and a control unit; the rest are dropped
cem__matched_strata as (
    select
        cem__strata.*,
        cem__nw_t / sum(cem__nw_t) over (
            partition by {{ keys | join(', ') }}, cem__outcome
        ) as cem__stratum_weight
    from cem__strata
    where cem__n_t > 0 and cem__n_c > 0
),

-- each arm's matched mean over all its matched units (for the fallback variance)
cem__arm_means as (
    select
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        cem__outcome,
        sum(cem__nw_t * cem__mean_t) / sum(cem__nw_t) as cem__grand_mean_t,
        sum(cem__nw_c * cem__mean_c) / sum(cem__nw_c) as cem__grand_mean_c
    from cem__matched_strata
    group by {{ keys | join(', ') }}, cem__outcome
),

-- the pooled within-stratum variance of each arm over the matched strata,
-- Σ (n − 1) s² / Σ (n − 1); when no stratum of the arm has two units, the
-- variance of the arm's matched units taken together
cem__pooled as (
    select
        {%- for column in keys %}
        cem__matched_strata.{{ column }},
        {%- endfor %}
        cem__matched_strata.cem__outcome,
        {%- for arm in ['t', 'c'] %}
        coalesce(
            {{ integration_adoption.safe_divide(
                'sum(cem__matched_strata.cem__ss_' ~ arm ~ ')',
                'sum(cem__matched_strata.cem__nw_' ~ arm ~ ' - 1)'
            ) }},
            {{ integration_adoption.safe_divide(
                'sum(cem__matched_strata.cem__ss_' ~ arm ~ ' + cem__matched_strata.cem__nw_' ~ arm
                ~ ' * (cem__matched_strata.cem__mean_' ~ arm ~ ' - cem__arm_means.cem__grand_mean_' ~ arm
                ~ ') * (cem__matched_strata.cem__mean_' ~ arm ~ ' - cem__arm_means.cem__grand_mean_' ~ arm ~ '))',
                'sum(cem__matched_strata.cem__nw_' ~ arm ~ ') - 1'
            ) }}
        ) as cem__pooled_var_{{ arm }}{{ ',' if loop.first }}
        {%- endfor %}
    from cem__matched_strata
    inner join cem__arm_means
        on
            {%- for column in keys %}
            cem__matched_strata.{{ column }} = cem__arm_means.{{ column }} and
            {%- endfor %}
            cem__matched_strata.cem__outcome = cem__arm_means.cem__outcome
    group by
        {%- for column in keys %}
        cem__matched_strata.{{ column }},
        {%- endfor %}
        cem__matched_strata.cem__outcome
),

cem__stratum_terms as (
    select
        cem__matched_strata.*,
        {%- for arm in ['t', 'c'] %}
        case
            when cem__matched_strata.cem__n_{{ arm }} > 1 and cem__matched_strata.cem__nw_{{ arm }} > 1
                then cem__matched_strata.cem__ss_{{ arm }} / (cem__matched_strata.cem__nw_{{ arm }} - 1)
            -- one unit in the stratum: the arm's pooled variance
            else cem__pooled.cem__pooled_var_{{ arm }}
        end as cem__var_{{ arm }}{{ ',' if loop.first }}
        {%- endfor %}
    from cem__matched_strata
    inner join cem__pooled
        on
            {%- for column in keys %}
            cem__matched_strata.{{ column }} = cem__pooled.{{ column }} and
            {%- endfor %}
            cem__matched_strata.cem__outcome = cem__pooled.cem__outcome
),

cem__matched as (
    select
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        cem__outcome,
        count(*) as cem__matched_strata_count,
        sum(cem__n_t) as cem__matched_treated_count,
        sum(cem__n_c) as cem__matched_control_count,
        sum(cem__stratum_weight * cem__mean_t) as cem__matched_treated_mean,
        sum(cem__stratum_weight * cem__mean_c) as cem__matched_control_mean,
        sum(cem__stratum_weight * (cem__mean_t - cem__mean_c)) as cem__att,
        -- an unknown variance in any stratum makes the SE unknown, never smaller
        case
            when count(cem__var_t) = count(*) and count(cem__var_c) = count(*)
                then sqrt(sum(
                    cem__stratum_weight * cem__stratum_weight
                    * (cem__var_t / cem__nw_t + cem__var_c / cem__nw_c)
                ))
        end as cem__att_se
    from cem__stratum_terms
    group by {{ keys | join(', ') }}, cem__outcome
),

cem__totals as (
    select
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        cem__outcome,
        count(distinct cem__stratum) as cem__strata_count,
        count(case when cem__treated = 1 then 1 end) as cem__treated_count,
        count(case when cem__treated = 0 then 1 end) as cem__control_count,
        {{ integration_adoption.safe_divide(
            'sum(cem__treated * cem__weight * cem__y)', 'sum(cem__treated * cem__weight)'
        ) }} as cem__treated_mean,
        {{ integration_adoption.safe_divide(
            'sum((1 - cem__treated) * cem__weight * cem__y)', 'sum((1 - cem__treated) * cem__weight)'
        ) }} as cem__control_mean
    from cem__long
    group by {{ keys | join(', ') }}, cem__outcome
),

cem__final as (
    select
        {%- for column in group_by %}
        cem__totals.{{ column }},
        {%- endfor %}
        cem__totals.cem__outcome as outcome,
        cast(cem__totals.cem__treated_count as {{ bigint }}) as treated_count,
        cast(cem__totals.cem__control_count as {{ bigint }}) as control_count,
        cast(coalesce(cem__matched.cem__matched_treated_count, 0) as {{ bigint }})
        as matched_treated_count,
        cast(
            cem__totals.cem__treated_count - coalesce(cem__matched.cem__matched_treated_count, 0)
            as {{ bigint }}
        ) as unmatched_treated_count,
        cast(coalesce(cem__matched.cem__matched_control_count, 0) as {{ bigint }})
        as matched_control_count,
        cast(
            cem__totals.cem__control_count - coalesce(cem__matched.cem__matched_control_count, 0)
            as {{ bigint }}
        ) as unmatched_control_count,
        cast(cem__totals.cem__strata_count as {{ bigint }}) as strata_count,
        cast(coalesce(cem__matched.cem__matched_strata_count, 0) as {{ bigint }})
        as matched_strata_count,
        cem__totals.cem__treated_mean as treated_mean,
        cem__totals.cem__control_mean as control_mean,
        cem__totals.cem__treated_mean - cem__totals.cem__control_mean as naive_difference,
        cem__matched.cem__matched_treated_mean as matched_treated_mean,
        cem__matched.cem__matched_control_mean as matched_control_mean,
        cem__matched.cem__att as att,
        cem__matched.cem__att_se as att_se,
        cem__matched.cem__att - {{ z }} * cem__matched.cem__att_se as att_ci_lower,
        cem__matched.cem__att + {{ z }} * cem__matched.cem__att_se as att_ci_upper
    from cem__totals
    left join cem__matched
        on
            {%- for column in keys %}
            cem__totals.{{ column }} = cem__matched.{{ column }} and
            {%- endfor %}
            cem__totals.cem__outcome = cem__matched.cem__outcome
)

{%- else %}

cem__stratum_sizes as (
    select
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        cem__stratum,
        sum(cem__treated * cem__weight) as cem__nw_t,
        sum((1 - cem__treated) * cem__weight) as cem__nw_c
    from cem__coarsened
    group by {{ keys | join(', ') }}, cem__stratum
),

-- matching weights for the ATT: a matched treated unit keeps its weight, a
-- matched control gets w × (treated ÷ controls in its stratum); unmatched 0
cem__weighted as (
    select
        cem__coarsened.*,
        case
            when cem__stratum_sizes.cem__nw_t = 0 or cem__stratum_sizes.cem__nw_c = 0 then 0
            when cem__coarsened.cem__treated = 1 then cem__coarsened.cem__weight
            else cem__coarsened.cem__weight * cem__stratum_sizes.cem__nw_t / cem__stratum_sizes.cem__nw_c
        end as cem__match_weight
    from cem__coarsened
    inner join cem__stratum_sizes
        on
            {%- for column in keys %}
            cem__coarsened.{{ column }} = cem__stratum_sizes.{{ column }} and
            {%- endfor %}
            cem__coarsened.cem__stratum = cem__stratum_sizes.cem__stratum
),

{%- for cov in covs if cov.kind == 'categorical' %}

cem__levels_{{ cov.index }} as (
    select distinct
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        cem__x_{{ cov.index }} as cem__level
    from cem__coarsened
),
{%- endfor %}

-- one row per unit × covariate level: the uncoarsened value, or the
-- level's indicator for a categorical covariate
cem__balance_long as (
    {%- for cov in covs %}
    select
        {%- for column in keys %}
        cem__weighted.{{ column }},
        {%- endfor %}
        '{{ cov.name }}' as cem__covariate,
        {%- if cov.kind == 'numeric' %}
        'value' as cem__level,
        {%- else %}
        cem__levels_{{ cov.index }}.cem__level,
        {%- endif %}
        '{{ cov.kind }}' as cem__kind,
        cem__weighted.cem__treated,
        cem__weighted.cem__weight,
        cem__weighted.cem__match_weight,
        {%- if cov.kind == 'numeric' %}
        cem__weighted.cem__x_{{ cov.index }} as cem__x
    from cem__weighted
    where cem__weighted.cem__x_{{ cov.index }} is not null
        {%- else %}
        case
            when cem__weighted.cem__x_{{ cov.index }} = cem__levels_{{ cov.index }}.cem__level then cast(1 as {{ double }})
            else cast(0 as {{ double }})
        end as cem__x
    from cem__weighted
    inner join cem__levels_{{ cov.index }}
        on
            {%- for column in keys %}
            {{ 'and ' if not loop.first }}cem__weighted.{{ column }} = cem__levels_{{ cov.index }}.{{ column }}
            {%- endfor %}
        {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

cem__balance_means as (
    select
        cem__balance_long.*,
        sum(cem__weight * cem__x) over (
            partition by {{ keys | join(', ') }}, cem__covariate, cem__level, cem__treated
        ) / sum(cem__weight) over (
            partition by {{ keys | join(', ') }}, cem__covariate, cem__level, cem__treated
        ) as cem__mean_before,
        {{ integration_adoption.safe_divide(
            'sum(cem__match_weight * cem__x) over (partition by ' ~ (keys | join(', '))
            ~ ', cem__covariate, cem__level, cem__treated)',
            'sum(cem__match_weight) over (partition by ' ~ (keys | join(', '))
            ~ ', cem__covariate, cem__level, cem__treated)'
        ) }} as cem__mean_after
    from cem__balance_long
),

-- weighted moments per arm; variances with the reliability-weights
-- correction Σw (x − m)² / (Σw − Σw² / Σw), the sample variance when w = 1
cem__balance_arms as (
    select
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        cem__covariate,
        cem__level,
        cem__kind,
        cem__treated,
        count(*) as cem__n,
        count(case when cem__match_weight > 0 then 1 end) as cem__matched_n,
        max(cem__mean_before) as cem__mean_before,
        max(cem__mean_after) as cem__mean_after,
        {{ integration_adoption.safe_divide(
            'sum(cem__weight * (cem__x - cem__mean_before) * (cem__x - cem__mean_before))',
            'sum(cem__weight) - sum(cem__weight * cem__weight) / sum(cem__weight)'
        ) }} as cem__var_before,
        {{ integration_adoption.safe_divide(
            'sum(case when cem__match_weight > 0 then cem__match_weight'
            ~ ' * (cem__x - cem__mean_after) * (cem__x - cem__mean_after) end)',
            'sum(cem__match_weight) - ' ~ integration_adoption.safe_divide(
                'sum(cem__match_weight * cem__match_weight)', 'sum(cem__match_weight)'
            )
        ) }} as cem__var_after
    from cem__balance_means
    group by {{ keys | join(', ') }}, cem__covariate, cem__level, cem__kind, cem__treated
),

cem__balance_pivot as (
    select
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        cem__covariate,
        cem__level,
        cem__kind,
        {%- for arm, flag in [('t', 1), ('c', 0)] %}
        coalesce(max(case when cem__treated = {{ flag }} then cem__n end), 0) as cem__n_{{ arm }},
        coalesce(max(case when cem__treated = {{ flag }} then cem__matched_n end), 0)
        as cem__matched_n_{{ arm }},
        max(case when cem__treated = {{ flag }} then cem__mean_before end) as cem__mean_before_{{ arm }},
        max(case when cem__treated = {{ flag }} then cem__mean_after end) as cem__mean_after_{{ arm }},
        max(case when cem__treated = {{ flag }} then cem__var_before end) as cem__var_before_{{ arm }},
        max(case when cem__treated = {{ flag }} then cem__var_after end) as cem__var_after_{{ arm }}{{ ',' if loop.first }}
        {%- endfor %}
    from cem__balance_arms
    group by {{ keys | join(', ') }}, cem__covariate, cem__level, cem__kind
),

cem__balance_scaled as (
    select
        cem__balance_pivot.*,
        -- the treated group's SD before matching, for both SMDs (as MatchIt
        -- for the ATT): sqrt(p (1 − p)) for a level's indicator
        case
            when cem__kind = 'categorical'
                then sqrt(cem__mean_before_t * (1 - cem__mean_before_t))
            else sqrt(cem__var_before_t)
        end as cem__scale
    from cem__balance_pivot
),

cem__final as (
    select
        {%- for column in group_by %}
        {{ column }},
        {%- endfor %}
        cem__covariate as covariate,
        cem__level as covariate_level,
        cem__kind as covariate_kind,
        cast(cem__n_t as {{ bigint }}) as treated_count,
        cast(cem__n_c as {{ bigint }}) as control_count,
        cast(cem__matched_n_t as {{ bigint }}) as matched_treated_count,
        cast(cem__matched_n_c as {{ bigint }}) as matched_control_count,
        cem__mean_before_t as treated_mean_before,
        cem__mean_before_c as control_mean_before,
        {{ integration_adoption.safe_divide(
            'cem__mean_before_t - cem__mean_before_c', 'cem__scale'
        ) }} as standardized_mean_difference_before,
        case when cem__kind = 'numeric' then
            {{ integration_adoption.safe_divide('cem__var_before_t', 'cem__var_before_c') }}
        end as variance_ratio_before,
        cem__mean_after_t as treated_mean_after,
        cem__mean_after_c as control_mean_after,
        {{ integration_adoption.safe_divide(
            'cem__mean_after_t - cem__mean_after_c', 'cem__scale'
        ) }} as standardized_mean_difference_after,
        case when cem__kind = 'numeric' then
            {{ integration_adoption.safe_divide('cem__var_after_t', 'cem__var_after_c') }}
        end as variance_ratio_after
    from cem__balance_scaled
)

{%- endif %}

select * from cem__final
{%- endmacro %}
