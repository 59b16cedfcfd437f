{#- Sums of an account's daily activity over windows ending on or before
    each of its points (metric-definitions §6), in one pass: the activity
    days, the change days and the points are merged into one series per
    account ordered by day, and each window is a range frame read at the
    points. The cost grows with activity days and points, not with points ×
    window length, and no point is expanded into probes.
    `points`: a relation of (account_id, computation_date); `activity`: one
    row per account_id and activity_date with the measures and
    work_event_count; `sums`: (name, measure, late, early) tuples, each giving
    <name> = the sum of the measure over the days in (d − early, d − late]
    (0 when there are none). Besides those, each point has last_work_date (the
    last day with work through d) and first_work_date (the first day with work
    in (d − first_work_days, d]), over the `activity` rows given.
    `changes` (optional): a relation of (account_id, change_date), the days
    a level of the account changes: each point also has last_change_date, the
    last of them through d (the row of the level holding on d). -#}
{% macro account_activity_windows(points, activity, sums, first_work_days, changes=none) -%}
    {%- set measures = [] %}
    {%- for sum in sums if sum[1] not in measures %}{% do measures.append(sum[1]) %}{% endfor %}
    {%- set day_number = dbt.datediff("cast('1970-01-01' as date)", 'point_date', 'day') %}
    {%- set by_day = 'partition by account_id order by day_number range between' %}
    select * from (
    select
        account_id,
        point_date as computation_date,
        {#- each sum a bigint again: a window's sum of a bigint is a 128-bit integer in DuckDB #}
        {%- for name, measure, late, early in sums %}
            {%- if late == 0 %}
                cast(sum({{ measure }}) over ({{ by_day }} {{ early - 1 }} preceding and current row)
                    as {{ dbt.type_bigint() }}) as {{ name }},
            {%- else %}
                cast(coalesce(sum({{ measure }}) over ({{ by_day }} {{ early - 1 }} preceding and {{ late }} preceding), 0)
                    as {{ dbt.type_bigint() }}) as {{ name }},
            {%- endif %}
        {%- endfor %}
        {%- if changes %}
            max(change_date) over ({{ by_day }} unbounded preceding and current row) as last_change_date,
        {%- endif %}
        max(work_date) over ({{ by_day }} unbounded preceding and current row) as last_work_date,
        min(work_date) over ({{ by_day }} {{ first_work_days - 1 }} preceding and current row) as first_work_date,
        is_point
    from (
        -- one row per account and day: a point on a day with activity carries it
        select
            account_id,
            point_date,
            {{ day_number }} as day_number,
            max(is_point) as is_point,
            {#- each a count: a bigint sums and stores in half the memory of a wider type #}
            {%- for measure in measures %}
                cast(sum({{ measure }}) as {{ dbt.type_bigint() }}) as {{ measure }},
            {%- endfor %}
            max(change_date) as change_date,
            max(work_date) as work_date
        from (
            select
                account_id,
                activity_date as point_date,
                0 as is_point,
                {%- for measure in measures %}
                    {{ measure }},
                {%- endfor %}
                cast(null as date) as change_date,
                case when work_event_count > 0 then activity_date end as work_date
            from {{ activity }}
            {%- if changes %}
                union all
                select
                    account_id,
                    change_date as point_date,
                    0 as is_point,
                    {%- for measure in measures %}
                        0 as {{ measure }},
                    {%- endfor %}
                    change_date,
                    cast(null as date) as work_date
                from {{ changes }}
            {%- endif %}
            union all
            select
                account_id,
                computation_date as point_date,
                1 as is_point,
                {%- for measure in measures %}
                    0 as {{ measure }},
                {%- endfor %}
                cast(null as date) as change_date,
                cast(null as date) as work_date
            from {{ points }}
        ) as merged
        group by account_id, point_date
    ) as series
    ) as windowed
    where is_point = 1
{%- endmacro %}
