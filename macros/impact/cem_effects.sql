{#- The effects step of coarsened exact matching (metric-definitions §8 and
    §8.1): one row per group × outcome with the counts, the naive and the
    matched means, the ATT with its SE and interval (the §8 formula), the
    robust interval of §8.1 (each stratum's variance floored at its arm's
    pooled variance; named in interval_method), and the E-value.

    relation   a cem_coarsen result (any relation with a stratum column)
    treatment  boolean SQL expression: true treated, false control, null
               neither (left out)
    outcomes   as in coarsened_exact_matching; an outcome's `e_value`
               ('risk_ratio' for a yes/no or count outcome, 'standardized'
               for a continuous one) chooses how its E-value is read
    group_by   columns that split the analysis (never null: each row finds
               its cell's mean by equality on them)
    weight     optional frequency weight
    z          the interval's normal quantile
    stratum    the relation's stratum column -#}
{% macro cem_effects(
    relation, treatment, outcomes, group_by=[], weight=none, z=1.96, stratum='cem_stratum'
) -%}
    {{ return(adapter.dispatch('cem_effects', 'integration_adoption')(
        relation, treatment, outcomes, group_by, weight, z, stratum
    )) }}
{%- endmacro %}

{% macro default__cem_effects(relation, treatment, outcomes, group_by, weight, z, stratum) -%}
{%- set outs = integration_adoption.cem_outcome_specs(outcomes) -%}
{%- set keys = group_by + ['cem__one'] -%}
{%- set double = integration_adoption.type_double() -%}
{%- set bigint = dbt.type_bigint() -%}
with

cem__long as (
    {%- for out in outs %}
    select
        {%- for column in group_by %}
        {{ column }},
        {%- endfor %}
        1 as cem__one,
        '{{ out.name }}' as cem__outcome,
        {{ stratum }} as cem__stratum,
        case when {{ treatment }} then 1 else 0 end as cem__treated,
        cast({{ weight if weight else 1 }} as {{ double }}) as cem__weight,
        cast({{ out.expression }} as {{ double }}) as cem__y
    from {{ relation }}
    where {{ treatment }} is not null and {{ out.expression }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- each cell's weighted mean (group × outcome × stratum × arm), joined back
-- to its rows for the sum of squares about it: a grouping and a join, not a
-- window partitioned by the cells (which sorts every row)
cem__cell_means as (
    select
        {%- for column in keys %}
        {{ column }},
        {%- endfor %}
        cem__outcome,
        cem__stratum,
        cem__treated,
        sum(cem__weight * cem__y) / sum(cem__weight) as cem__cell_mean
    from cem__long
    group by {{ keys | join(', ') }}, cem__outcome, cem__stratum, cem__treated
),

-- one row per group × outcome × stratum × arm
cem__cells as (
    select
        {%- for column in keys %}
        cem__long.{{ column }},
        {%- endfor %}
        cem__long.cem__outcome,
        cem__long.cem__stratum,
        cem__long.cem__treated,
        count(*) as cem__n,
        sum(cem__long.cem__weight) as cem__nw,
        max(cem__cell_means.cem__cell_mean) as cem__mean,
        sum(
            cem__long.cem__weight
            * (cem__long.cem__y - cem__cell_means.cem__cell_mean)
            * (cem__long.cem__y - cem__cell_means.cem__cell_mean)
        ) as cem__ss
    from cem__long
    inner join cem__cell_means
        on
            {%- for column in keys %}
            cem__long.{{ column }} = cem__cell_means.{{ column }}
            and
            {%- endfor %}
            cem__long.cem__outcome = cem__cell_means.cem__outcome
            -- a missing stratum is a cell too, as in a grouping
            and coalesce(cem__long.cem__stratum, '') = coalesce(cem__cell_means.cem__stratum, '')
            and (cem__long.cem__stratum is null) = (cem__cell_means.cem__stratum is null)
            and cem__long.cem__treated = cem__cell_means.cem__treated
    group by
        {%- for column in keys %}
        cem__long.{{ column }},
        {%- endfor %}
        cem__long.cem__outcome,
        cem__long.cem__stratum,
        cem__long.cem__treated
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

-- each arm's matched mean over all its matched units
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

-- per arm over the matched strata: the pooled within-stratum variance
-- Σ (n − 1) s² / Σ (n − 1), and the variance of the arm's matched units
-- taken together (the fallback when no stratum of the arm has two units;
-- for the controls, the spread behind a continuous outcome's E-value)
cem__arm_variances as (
    select
        {%- for column in keys %}
        cem__matched_strata.{{ column }},
        {%- endfor %}
        cem__matched_strata.cem__outcome,
        {%- for arm in ['t', 'c'] %}
        {{ integration_adoption.safe_divide(
            'sum(cem__matched_strata.cem__ss_' ~ arm ~ ')',
            'sum(cem__matched_strata.cem__nw_' ~ arm ~ ' - 1)'
        ) }} as cem__within_var_{{ arm }},
        {{ integration_adoption.safe_divide(
            'sum(cem__matched_strata.cem__ss_' ~ arm ~ ' + cem__matched_strata.cem__nw_' ~ arm
            ~ ' * (cem__matched_strata.cem__mean_' ~ arm ~ ' - cem__arm_means.cem__grand_mean_' ~ arm
            ~ ') * (cem__matched_strata.cem__mean_' ~ arm ~ ' - cem__arm_means.cem__grand_mean_' ~ arm ~ '))',
            'sum(cem__matched_strata.cem__nw_' ~ arm ~ ') - 1'
        ) }} as cem__matched_var_{{ arm }}{{ ',' if loop.first }}
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
        cem__arm_variances.cem__matched_var_c,
        {%- for arm in ['t', 'c'] %}
        case
            when cem__matched_strata.cem__n_{{ arm }} > 1 and cem__matched_strata.cem__nw_{{ arm }} > 1
                then cem__matched_strata.cem__ss_{{ arm }} / (cem__matched_strata.cem__nw_{{ arm }} - 1)
            -- one unit in the stratum: the arm's pooled variance
            else coalesce(cem__arm_variances.cem__within_var_{{ arm }}, cem__arm_variances.cem__matched_var_{{ arm }})
        end as cem__var_{{ arm }},
        -- the arm's pooled variance: the floor of the robust interval's
        coalesce(
            cem__arm_variances.cem__within_var_{{ arm }}, cem__arm_variances.cem__matched_var_{{ arm }}
        ) as cem__pooled_var_{{ arm }}{{ ',' if loop.first }}
        {%- endfor %}
    from cem__matched_strata
    inner join cem__arm_variances
        on
            {%- for column in keys %}
            cem__matched_strata.{{ column }} = cem__arm_variances.{{ column }} and
            {%- endfor %}
            cem__matched_strata.cem__outcome = cem__arm_variances.cem__outcome
),

-- the robust interval's variance (§8.1): each stratum's own, but never
-- below the arm's pooled variance, so a small stratum whose few accounts
-- happen to agree (a variance of 0 on a yes/no outcome) does not shrink the
-- SE; unknown when the pooled variance is
cem__robust_terms as (
    select
        cem__stratum_terms.*,
        {%- for arm in ['t', 'c'] %}
        case
            when cem__var_{{ arm }} >= cem__pooled_var_{{ arm }} then cem__var_{{ arm }}
            else cem__pooled_var_{{ arm }}
        end as cem__robust_var_{{ arm }}{{ ',' if loop.first }}
        {%- endfor %}
    from cem__stratum_terms
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
        sqrt(max(cem__matched_var_c)) as cem__matched_control_sd,
        sum(cem__stratum_weight * (cem__mean_t - cem__mean_c)) as cem__att,
        -- an unknown variance in any stratum makes the SE unknown, never smaller
        case
            when count(cem__var_t) = count(*) and count(cem__var_c) = count(*)
                then sqrt(sum(
                    cem__stratum_weight * cem__stratum_weight
                    * (cem__var_t / cem__nw_t + cem__var_c / cem__nw_c)
                ))
        end as cem__att_se,
        case
            when count(cem__robust_var_t) = count(*) and count(cem__robust_var_c) = count(*)
                then sqrt(sum(
                    cem__stratum_weight * cem__stratum_weight
                    * (cem__robust_var_t / cem__nw_t + cem__robust_var_c / cem__nw_c)
                ))
        end as cem__robust_se
    from cem__robust_terms
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

cem__estimates as (
    select
        {%- for column in group_by %}
        cem__totals.{{ column }},
        {%- endfor %}
        cem__totals.cem__outcome as outcome,
        case cem__totals.cem__outcome
            {%- for out in outs %}
            when '{{ out.name }}' then {{ "'" ~ out.e_value ~ "'" if out.e_value else 'null' }}
            {%- endfor %}
        end as cem__e_value_method,
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
        cem__matched.cem__matched_control_sd as matched_control_sd,
        cem__matched.cem__att as att,
        cem__matched.cem__att_se as att_se,
        cem__matched.cem__att - {{ z }} * cem__matched.cem__att_se as att_ci_lower,
        cem__matched.cem__att + {{ z }} * cem__matched.cem__att_se as att_ci_upper,
        cem__matched.cem__att - {{ z }} * cem__matched.cem__robust_se as robust_ci_lower,
        cem__matched.cem__att + {{ z }} * cem__matched.cem__robust_se as robust_ci_upper
    from cem__totals
    left join cem__matched
        on
            {%- for column in keys %}
            cem__totals.{{ column }} = cem__matched.{{ column }} and
            {%- endfor %}
            cem__totals.cem__outcome = cem__matched.cem__outcome
),

-- §8.1: why an E-value cannot be read, when it cannot
cem__e_value_notes as (
    select
        cem__estimates.*,
        case
            when att is null then 'nothing matched'
            when cem__e_value_method is null then 'no E-value method for this outcome'
            when cem__e_value_method = 'risk_ratio' and matched_control_mean = 0
                then 'the matched control mean is 0: no risk ratio'
            when cem__e_value_method = 'risk_ratio' and matched_treated_mean = 0
                then 'the matched treated mean is 0: no risk ratio'
            when cem__e_value_method = 'risk_ratio' and (matched_treated_mean < 0 or matched_control_mean < 0)
                then 'a matched mean is negative: no risk ratio'
            when cem__e_value_method = 'standardized' and coalesce(matched_control_sd, 0) = 0
                then 'the standard deviation of the matched controls is 0 or unknown'
            when att_se is null then 'no interval: the standard error is unknown'
        end as e_value_note
    from cem__estimates
),

-- the risk ratio of the estimate (ȳt ÷ ȳc) and of the interval limit L
-- nearest to no effect, when the interval excludes it (ȳt ÷ (ȳt − L)); for
-- a continuous outcome exp(0.91 · d), d = ATT or L ÷ the matched controls' SD
cem__risk_ratios as (
    select
        cem__e_value_notes.*,
        case
            when e_value_note is null or e_value_note = 'no interval: the standard error is unknown'
                then
                    case
                        when cem__e_value_method = 'risk_ratio' then matched_treated_mean / matched_control_mean
                        else exp(0.91 * att / matched_control_sd)
                    end
        end as cem__risk_ratio_estimate,
        case
            when e_value_note is null and (att_ci_lower > 0 or att_ci_upper < 0)
                then
                    case
                        when cem__e_value_method = 'risk_ratio' and att > 0
                            then matched_treated_mean / (matched_treated_mean - att_ci_lower)
                        when cem__e_value_method = 'risk_ratio'
                            then matched_treated_mean / (matched_treated_mean - att_ci_upper)
                        when att > 0 then exp(0.91 * att_ci_lower / matched_control_sd)
                        else exp(0.91 * att_ci_upper / matched_control_sd)
                    end
        end as cem__risk_ratio_limit
    from cem__e_value_notes
)

select
    {%- for column in group_by %}
    {{ column }},
    {%- endfor %}
    outcome,
    treated_count,
    control_count,
    matched_treated_count,
    unmatched_treated_count,
    matched_control_count,
    unmatched_control_count,
    strata_count,
    matched_strata_count,
    treated_mean,
    control_mean,
    naive_difference,
    matched_treated_mean,
    matched_control_mean,
    matched_control_sd,
    att,
    att_se,
    att_ci_lower,
    att_ci_upper,
    robust_ci_lower,
    robust_ci_upper,
    case
        when robust_ci_lower is not null then 'pooled_variance_floor'
    end as interval_method,
    {{ integration_adoption.e_value('cem__risk_ratio_estimate') }} as e_value,
    case
        -- the interval includes no effect
        when e_value_note is null and att_ci_lower <= 0 and att_ci_upper >= 0 then cast(1 as {{ double }})
        else {{ integration_adoption.e_value('cem__risk_ratio_limit') }}
    end as e_value_ci,
    e_value_note
from cem__risk_ratios
{%- endmacro %}
