-- Strata are tuples (metric-definitions §8): cem_coarsen gives two units the
-- same stratum exactly when their coarsened covariates are equal. Each row
-- of the fixture carries the label of its hand-worked tuple (plan, segment,
-- size band cut at 10); returns the labels and strata that disagree.
--   p1 (x|y, z) and p2 (x, y|z): one text with a '|' joined either way
--   m1 (null, k) and m2 ('(missing)', k): a missing plan is not the text
--   m3 ('n', k) and m4 ('', k): nor any short text
--   s1 (x, z, size null) and s2 (x, z, size 1): a missing size is not the
--   lowest band; s2 and s3 (size 5) share the band [−∞, 10) and a stratum
--   e1 ('a;', 'b') and e2 ('a', ';b'), e3 ('1:a', '') and e4 ('', '1:a'):
--   the encoding's own separators inside values
-- and the effects: treated p1 has only p2 as a would-be control, so nothing
-- in group `pipe` matches (the old '|'-joined key matched them); the same
-- for m1 and m2 in group `missing`.
with

fixture as (
    select
        fixture_rows.group_key,
        fixture_rows.tuple_label,
        fixture_rows.plan,
        fixture_rows.segment,
        fixture_rows.size,
        fixture_rows.is_treated,
        fixture_rows.outcome_value
    from (
        values
        ('tuples', 'p1', 'x|y', 'z', 5, true, 1),
        ('tuples', 'p2', 'x', 'y|z', 5, false, 0),
        ('tuples', 'm1', null, 'k', 5, true, 1),
        ('tuples', 'm2', '(missing)', 'k', 5, false, 0),
        ('tuples', 'm3', 'n', 'k', 5, false, 0),
        ('tuples', 'm4', '', 'k', 5, false, 0),
        ('tuples', 's1', 'x', 'z', null, true, 1),
        ('tuples', 's2', 'x', 'z', 1, false, 0),
        ('tuples', 's2', 'x', 'z', 5, true, 1),
        ('tuples', 'e1', 'a;', 'b', 5, true, 1),
        ('tuples', 'e2', 'a', ';b', 5, false, 0),
        ('tuples', 'e3', '1:a', '', 5, true, 1),
        ('tuples', 'e4', '', '1:a', 5, false, 0),
        ('pipe', 'p1', 'x|y', 'z', 5, true, 1),
        ('pipe', 'p2', 'x', 'y|z', 5, false, 0),
        ('missing', 'm1', null, 'k', 5, true, 1),
        ('missing', 'm2', '(missing)', 'k', 5, false, 0)
    ) as fixture_rows (group_key, tuple_label, plan, segment, size, is_treated, outcome_value)
),

coarsened as (
    {{ integration_adoption.cem_coarsen(
        relation='fixture',
        covariates=['plan', 'segment', {'name': 'size', 'cuts': [10]}],
        group_by=['group_key'],
    ) }}
),

effects as (
    {{ integration_adoption.cem_effects(
        relation='coarsened',
        treatment='is_treated',
        outcomes=[{'name': 'y', 'expression': 'outcome_value'}],
        group_by=['group_key'],
    ) }}
),

-- a label split over two strata, or a stratum holding two labels
label_mismatches as (
    select
        tuple_label as check_name,
        'label in several strata' as problem
    from coarsened
    where group_key = 'tuples'
    group by tuple_label
    having count(distinct cem_stratum) != 1
    union all
    select
        min(tuple_label) as check_name,
        'stratum of several labels' as problem
    from coarsened
    where group_key = 'tuples'
    group by cem_stratum
    having count(distinct tuple_label) != 1
),

effect_mismatches as (
    select
        group_key as check_name,
        'matched across different tuples' as problem
    from effects
    where group_key in ('pipe', 'missing') and (matched_treated_count != 0 or strata_count != 2)
),

label_count as (
    select
        'labels' as check_name,
        'strata count' as problem
    from coarsened
    where group_key = 'tuples'
    having count(distinct cem_stratum) != 12
)

select * from label_mismatches
union all
select * from effect_mismatches
union all
select * from label_count
