{#- The balance step of coarsened exact matching (metric-definitions §8): one
    row per group × covariate level — each level of a categorical covariate
    as a 0/1 share (a missing value is a level of its own, covariate_level
    null), a numeric covariate once (level `value`) on its uncoarsened
    values — with the means before and after matching, the standardized mean
    differences ÷ the treated SD before matching (as MatchIt for the ATT)
    and, for numeric covariates, the variance ratios. After matching a
    treated unit keeps its weight and a control weighs w × treated ÷
    controls of its stratum; units in strata without both arms weigh 0.

    relation   a cem_coarsen result (any relation with a stratum column)
    treatment  boolean SQL expression (null: left out)
    covariates as in coarsened_exact_matching
    group_by   columns that split the analysis
    weight     optional frequency weight
    stratum    the relation's stratum column -#}
{% macro cem_balance(relation, treatment, covariates, group_by=[], weight=none, stratum='cem_stratum') -%}
    {{ return(adapter.dispatch('cem_balance', 'integration_adoption')(
        relation, treatment, covariates, group_by, weight, stratum
    )) }}
{%- endmacro %}

{% macro default__cem_balance(relation, treatment, covariates, group_by, weight, stratum) -%}
{%- set covs = integration_adoption.cem_covariate_specs(covariates) -%}
{%- set keys = group_by + ['cem__one'] -%}
{%- set double = integration_adoption.type_double() -%}
{%- set string = dbt.type_string() -%}
{%- set bigint = dbt.type_bigint() -%}
with

cem__units as (
    select
        {%- for column in group_by %}
        {{ column }},
        {%- endfor %}
        1 as cem__one,
        {{ stratum }} as cem__stratum,
        case when {{ treatment }} then 1 else 0 end as cem__treated,
        cast({{ weight if weight else 1 }} as {{ double }}) as cem__weight,
        {%- for cov in covs %}
        cast({{ cov.expression }} as {{ double if cov.kind == 'numeric' else string }})
        as cem__x_{{ cov.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    where {{ treatment }} is not null
),

cem__stratum_sizes as (
    select
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        cem__stratum,
        sum(cem__treated * cem__weight) as cem__nw_t,
        sum((1 - cem__treated) * cem__weight) as cem__nw_c
    from cem__units
    group by {{ keys | join(', ') }}, cem__stratum
),

-- matching weights for the ATT
cem__weighted as (
    select
        cem__units.*,
        case
            when cem__stratum_sizes.cem__nw_t = 0 or cem__stratum_sizes.cem__nw_c = 0 then 0
            when cem__units.cem__treated = 1 then cem__units.cem__weight
            else cem__units.cem__weight * cem__stratum_sizes.cem__nw_t / cem__stratum_sizes.cem__nw_c
        end as cem__match_weight
    from cem__units
    inner join cem__stratum_sizes
        on
            {%- for column in keys %}
            cem__units.{{ column }} = cem__stratum_sizes.{{ column }} and
            {%- endfor %}
            cem__units.cem__stratum = cem__stratum_sizes.cem__stratum
),

{%- set null_safe_level = 'cem__arm_levels.cem__level = cem__value_sums.cem__level or '
    ~ '(cem__arm_levels.cem__level is null and cem__value_sums.cem__level is null)' %}
{%- set match_weighted = 'case when cem__match_weight > 0 then 1 end' %}

-- a categorical covariate: the units of each arm grouped by value, so a
-- level's share is read from sums, never from a row per unit × level
{%- for cov in covs if cov.kind == 'categorical' %}

cem__values_{{ cov.index }} as (
    select
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        cem__treated,
        cem__x_{{ cov.index }} as cem__level,
        count(*) as cem__n,
        count({{ match_weighted }}) as cem__matched_n,
        sum(cem__weight) as cem__sum_w,
        sum(cem__match_weight) as cem__sum_mw
    from cem__weighted
    group by {{ keys | join(', ') }}, cem__treated, cem__x_{{ cov.index }}
),
{%- endfor %}

-- a numeric covariate: the weighted means of each arm (units with a value)
{%- for cov in covs if cov.kind == 'numeric' %}

cem__means_{{ cov.index }} as (
    select
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        cem__treated,
        count(*) as cem__n,
        count({{ match_weighted }}) as cem__matched_n,
        sum(cem__weight) as cem__sum_w,
        sum(cem__weight * cem__weight) as cem__sum_ww,
        sum(cem__match_weight) as cem__sum_mw,
        sum(cem__match_weight * cem__match_weight) as cem__sum_mwmw,
        sum(cem__weight * cem__x_{{ cov.index }}) / sum(cem__weight) as cem__mean_before,
        {{ integration_adoption.safe_divide(
            'sum(cem__match_weight * cem__x_' ~ cov.index ~ ')', 'sum(cem__match_weight)') }} as cem__mean_after
    from cem__weighted
    where cem__x_{{ cov.index }} is not null
    group by {{ keys | join(', ') }}, cem__treated
),
{%- endfor %}

-- per arm × covariate level: units, matched units, means before and after
-- matching; variances (numeric covariates) with the reliability-weights
-- correction Σw (x − m)² / (Σw − Σw² / Σw), the sample variance when w = 1
cem__balance_arms as (
    {%- for cov in covs %}
    {%- if cov.kind == 'categorical' %}
    -- every level of the group, in each arm present (0 where the arm lacks it)
    select
        {%- for column in keys %}
        cem__arm_levels.{{ column }},
        {%- endfor %}
        '{{ cov.name }}' as cem__covariate,
        cem__arm_levels.cem__level,
        'categorical' as cem__kind,
        cem__arm_levels.cem__treated,
        cem__arm_levels.cem__n,
        cem__arm_levels.cem__matched_n,
        coalesce(cem__value_sums.cem__sum_w, 0) / cem__arm_levels.cem__sum_w as cem__mean_before,
        {{ integration_adoption.safe_divide(
            'coalesce(cem__value_sums.cem__sum_mw, 0)', 'cem__arm_levels.cem__sum_mw') }} as cem__mean_after,
        cast(null as {{ double }}) as cem__var_before,
        cast(null as {{ double }}) as cem__var_after
    from (
        select
            arms.*,
            levels.cem__level
        from (
            select
                {%- for column in keys %}
                {{ column }},
                {%- endfor %}
                cem__treated,
                sum(cem__n) as cem__n,
                sum(cem__matched_n) as cem__matched_n,
                sum(cem__sum_w) as cem__sum_w,
                sum(cem__sum_mw) as cem__sum_mw
            from cem__values_{{ cov.index }}
            group by {{ keys | join(', ') }}, cem__treated
        ) as arms
        inner join (
            select distinct
                {%- for column in keys %}
                {{ column }},
                {%- endfor %}
                cem__level
            from cem__values_{{ cov.index }}
        ) as levels
            on
                {%- for column in keys %}
                {{ 'and ' if not loop.first }}arms.{{ column }} = levels.{{ column }}
                {%- endfor %}
    ) as cem__arm_levels
    left join cem__values_{{ cov.index }} as cem__value_sums
        on
            {%- for column in keys %}
            cem__arm_levels.{{ column }} = cem__value_sums.{{ column }} and
            {%- endfor %}
            cem__arm_levels.cem__treated = cem__value_sums.cem__treated
            and ({{ null_safe_level }})
    {%- else %}
    select
        {%- for column in keys %}
        cem__means.{{ column }},
        {%- endfor %}
        '{{ cov.name }}' as cem__covariate,
        'value' as cem__level,
        'numeric' as cem__kind,
        cem__means.cem__treated,
        max(cem__means.cem__n) as cem__n,
        max(cem__means.cem__matched_n) as cem__matched_n,
        max(cem__means.cem__mean_before) as cem__mean_before,
        max(cem__means.cem__mean_after) as cem__mean_after,
        {{ integration_adoption.safe_divide(
            'sum(cem__weighted.cem__weight * (cem__weighted.cem__x_' ~ cov.index ~ ' - cem__means.cem__mean_before)'
            ~ ' * (cem__weighted.cem__x_' ~ cov.index ~ ' - cem__means.cem__mean_before))',
            'max(cem__means.cem__sum_w) - max(cem__means.cem__sum_ww) / max(cem__means.cem__sum_w)'
        ) }} as cem__var_before,
        {{ integration_adoption.safe_divide(
            'sum(case when cem__weighted.cem__match_weight > 0 then cem__weighted.cem__match_weight'
            ~ ' * (cem__weighted.cem__x_' ~ cov.index ~ ' - cem__means.cem__mean_after)'
            ~ ' * (cem__weighted.cem__x_' ~ cov.index ~ ' - cem__means.cem__mean_after) end)',
            'max(cem__means.cem__sum_mw) - ' ~ integration_adoption.safe_divide(
                'max(cem__means.cem__sum_mwmw)', 'max(cem__means.cem__sum_mw)')
        ) }} as cem__var_after
    from cem__weighted
    inner join cem__means_{{ cov.index }} as cem__means
        on
            {%- for column in keys %}
            cem__weighted.{{ column }} = cem__means.{{ column }} and
            {%- endfor %}
            cem__weighted.cem__treated = cem__means.cem__treated
    where cem__weighted.cem__x_{{ cov.index }} is not null
    group by {% for column in keys %}cem__means.{{ column }}, {% endfor %}cem__means.cem__treated
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
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
)

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
{%- endmacro %}
