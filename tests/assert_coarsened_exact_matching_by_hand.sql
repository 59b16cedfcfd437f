-- coarsened_exact_matching on a hand-built table whose results were worked
-- out by hand (metric-definitions §8). Returns the figures that disagree.
--
-- Group a, strata plan × size band (cut at 10), outcome y:
--   x, <10   treated y 1, 0, 1 (size 2, 4, 6)   controls 0, 0 (5, 5)
--   x, ≥10   treated y 1 (20) — one account      controls 1, 0, 0 (10, 30, 50)
--   y, <10   treated y 1, 1 (1, 3)               no controls: dropped, 2 unmatched
--   y, ≥10   no treated                          controls 0, 1 (12, 14)
--   plus one row that is neither (null treatment).
-- ATT = 3/4 · (2/3 − 0) + 1/4 · (1 − 1/3) = 2/3. The one treated account of
-- (x, ≥10) takes the treated pooled variance Σ(n − 1)s² / Σ(n − 1) =
-- (2 · 1/3) / 2 = 1/3, so SE² = 9/16 · (1/3 / 3 + 0 / 2) + 1/16 · (1/3 / 1 +
-- 1/3 / 3) = 13/144. Naive = 5/6 − 2/7 = 23/42.
-- Group b: every stratum has one account per arm, so the pooled within-
-- stratum variance is undefined and each arm's matched variance (0.5) is
-- used: ATT = 0, SE² = 2 · 1/4 · (0.5 + 0.5) = 1/2.
-- Balance of size in group a: before, treated mean 6 (sample variance 50),
-- controls 18 (1622 / 6); after, treated 8 (200 / 3), controls weighted
-- 1.5 × (5, 5) and 1/3 × (10, 30, 50): mean 11.25, weighted variance
-- 735.41667 / (4 − 4.83333 / 4). SMDs ÷ √50.
with

fixture as (
    select
        fixture_rows.group_key,
        fixture_rows.plan,
        fixture_rows.size,
        fixture_rows.outcome_value,
        fixture_rows.is_treated
    from (
        values
        ('a', true, 'x', 2, 1),
        ('a', true, 'x', 4, 0),
        ('a', true, 'x', 6, 1),
        ('a', false, 'x', 5, 0),
        ('a', false, 'x', 5, 0),
        ('a', true, 'x', 20, 1),
        ('a', false, 'x', 10, 1),
        ('a', false, 'x', 30, 0),
        ('a', false, 'x', 50, 0),
        ('a', true, 'y', 1, 1),
        ('a', true, 'y', 3, 1),
        ('a', false, 'y', 12, 0),
        ('a', false, 'y', 14, 1),
        ('a', null, 'x', 7, 0),
        ('b', true, 'x', 1, 1),
        ('b', false, 'x', 2, 0),
        ('b', true, 'x', 11, 0),
        ('b', false, 'x', 12, 1)
    ) as fixture_rows (group_key, is_treated, plan, size, outcome_value)
),

effects as (
    {{ integration_adoption.coarsened_exact_matching(
        relation='fixture',
        treatment='is_treated',
        outcomes=[{'name': 'y', 'expression': 'outcome_value'}],
        covariates=['plan', {'name': 'size', 'cuts': [10]}],
        group_by=['group_key'],
    ) }}
),

balance as (
    {{ integration_adoption.coarsened_exact_matching(
        relation='fixture',
        treatment='is_treated',
        outcomes=[{'name': 'y', 'expression': 'outcome_value'}],
        covariates=['plan', {'name': 'size', 'cuts': [10]}],
        group_by=['group_key'],
        output='balance',
    ) }}
),

-- the e0 literals are doubles on every engine (Spark reads 23.0 as a decimal
-- and divides it to six places)
expected_effects as (
    select
        'a' as group_key,
        6 as treated_count,
        7 as control_count,
        4 as matched_treated_count,
        2 as unmatched_treated_count,
        5 as matched_control_count,
        2 as unmatched_control_count,
        2 as matched_strata_count,
        23.0e0 / 42 as naive_difference,
        2.0e0 / 3 as att,
        sqrt(13.0e0 / 144) as att_se
    union all
    select
        'b' as group_key,
        2 as treated_count,
        2 as control_count,
        2 as matched_treated_count,
        0 as unmatched_treated_count,
        2 as matched_control_count,
        0 as unmatched_control_count,
        2 as matched_strata_count,
        0.0e0 as naive_difference,
        0.0e0 as att,
        sqrt(0.5e0) as att_se
),

expected_balance as (
    select
        'a' as group_key,
        'size' as covariate,
        'value' as covariate_level,
        6.0e0 as treated_mean_before,
        18.0e0 as control_mean_before,
        -12.0e0 / sqrt(50.0e0) as smd_before,
        50.0e0 / (1622.0e0 / 6) as variance_ratio_before,
        8.0e0 as treated_mean_after,
        11.25e0 as control_mean_after,
        -3.25e0 / sqrt(50.0e0) as smd_after,
        (200.0e0 / 3) / (735.4166666666667e0 / (4 - 4.833333333333333e0 / 4)) as variance_ratio_after
    union all
    select
        'a' as group_key,
        'plan' as covariate,
        'x' as covariate_level,
        4.0e0 / 6 as treated_mean_before,
        5.0e0 / 7 as control_mean_before,
        (4.0e0 / 6 - 5.0e0 / 7) / sqrt(4.0e0 / 6 * (2.0e0 / 6)) as smd_before,
        null as variance_ratio_before,
        1.0e0 as treated_mean_after,
        1.0e0 as control_mean_after,
        0.0e0 as smd_after,
        null as variance_ratio_after
),

effect_mismatches as (
    select
        expected_effects.group_key,
        'effects' as check_name
    from expected_effects
    left join effects
        on expected_effects.group_key = effects.group_key
    where
        effects.group_key is null
        or effects.outcome != 'y'
        or effects.treated_count != expected_effects.treated_count
        or effects.control_count != expected_effects.control_count
        or effects.matched_treated_count != expected_effects.matched_treated_count
        or effects.unmatched_treated_count != expected_effects.unmatched_treated_count
        or effects.matched_control_count != expected_effects.matched_control_count
        or effects.unmatched_control_count != expected_effects.unmatched_control_count
        or effects.matched_strata_count != expected_effects.matched_strata_count
        or abs(effects.naive_difference - expected_effects.naive_difference) > 1e-9
        or abs(effects.att - expected_effects.att) > 1e-9
        or abs(effects.att_se - expected_effects.att_se) > 1e-9
        or abs(effects.att_ci_lower - (expected_effects.att - 1.96 * expected_effects.att_se)) > 1e-9
        or abs(effects.att_ci_upper - (expected_effects.att + 1.96 * expected_effects.att_se)) > 1e-9
),

balance_mismatches as (
    select
        expected_balance.group_key,
        'balance ' || expected_balance.covariate as check_name
    from expected_balance
    left join balance
        on
            expected_balance.group_key = balance.group_key
            and expected_balance.covariate = balance.covariate
            and expected_balance.covariate_level = balance.covariate_level
    where
        balance.group_key is null
        or abs(balance.treated_mean_before - expected_balance.treated_mean_before) > 1e-9
        or abs(balance.control_mean_before - expected_balance.control_mean_before) > 1e-9
        or abs(balance.standardized_mean_difference_before - expected_balance.smd_before) > 1e-9
        or abs(balance.treated_mean_after - expected_balance.treated_mean_after) > 1e-9
        or abs(balance.control_mean_after - expected_balance.control_mean_after) > 1e-9
        or abs(balance.standardized_mean_difference_after - expected_balance.smd_after) > 1e-9
        or coalesce(
            abs(balance.variance_ratio_before - expected_balance.variance_ratio_before) > 1e-9,
            (balance.variance_ratio_before is null) != (expected_balance.variance_ratio_before is null)
        )
        or coalesce(
            abs(balance.variance_ratio_after - expected_balance.variance_ratio_after) > 1e-9,
            (balance.variance_ratio_after is null) != (expected_balance.variance_ratio_after is null)
        )
),

-- one balance row per level of each categorical covariate (plan: x, y in a,
-- only x in b) and one per numeric covariate, per group
balance_row_counts as (
    select
        'balance rows' as group_key,
        'balance rows' as check_name
    from balance
    having count(*) != (2 + 1) + (1 + 1)
)

select * from effect_mismatches
union all
select * from balance_mismatches
union all
select * from balance_row_counts
