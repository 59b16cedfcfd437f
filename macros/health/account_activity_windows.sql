{#- Sums of an account's daily activity over windows ending on or before
    each of its points (metric-definitions §6), in one pass: the points, the
    activity days and the change days are joined into one series per
    account (full outer joins on the account and the day: a point on a day
    with activity carries it), ordered by day, and each window is a range
    frame read at the points.
    The cost grows with activity days and points, not with points × window
    length, and no point is expanded into probes.
    `points`: a relation of (account_id, computation_date), one row per
    account and day; `activity`: one row per account_id and activity_date
    with the measures and work_event_count; `sums`: (name, measure, late,
    early) tuples, each giving <name> = the sum of the measure over the days
    in (d − early, d − late] (0 when there are none). Besides those, each
    point has last_work_date (the last day with work through d) and
    first_work_date (the first day with work in (d − first_work_days, d]),
    over the `activity` rows given.
    `changes` (optional): a relation of (account_id, change_date), one row
    per account and day a level of the account changes: each point also has
    last_change_date, the last of them through d (the row of the level
    holding on d, found by an equality join; a join on the days each row
    holds would match every point of the account with every row). -#}
{% macro account_activity_windows(points, activity, sums, first_work_days, changes=none) -%}
    {%- set measures = [] %}
    {%- for sum in sums if sum[1] not in measures %}{% do measures.append(sum[1]) %}{% endfor %}
    {%- set account = 'coalesce(points.account_id, activity.account_id)' %}
    {%- set day = 'coalesce(points.computation_date, activity.activity_date)' %}
    {%- set by_day = 'partition by account_id order by day_number range between' %}
    select * from (
    select
        account_id,
        point_date as computation_date,
        {%- for name, measure, late, early in sums %}
            coalesce(sum({{ measure }}) over (
                {{ by_day }} {{ early - 1 }} preceding and {{ 'current row' if late == 0 else late ~ ' preceding' }}
            ), 0) as {{ name }},
        {%- endfor %}
        {%- if changes %}
            max(change_date) over ({{ by_day }} unbounded preceding and current row) as last_change_date,
        {%- endif %}
        max(work_date) over ({{ by_day }} unbounded preceding and current row) as last_work_date,
        min(work_date) over ({{ by_day }} {{ first_work_days - 1 }} preceding and current row) as first_work_date,
        is_point
    from (
        -- one row per account and day: the measures are null on a point without activity
        select
            {%- if changes %}
                coalesce({{ account }}, changes.account_id) as account_id,
                coalesce({{ day }}, changes.change_date) as point_date,
                {{ dbt.datediff("cast('1970-01-01' as date)", 'coalesce(' ~ day ~ ', changes.change_date)', 'day') }}
                    as day_number,
                changes.change_date,
            {%- else %}
                {{ account }} as account_id,
                {{ day }} as point_date,
                {{ dbt.datediff("cast('1970-01-01' as date)", day, 'day') }} as day_number,
            {%- endif %}
            points.account_id is not null as is_point,
            {#- each a count: a bigint sums and stores in half the memory of a wider type #}
            {%- for measure in measures %}
                cast(activity.{{ measure }} as {{ dbt.type_bigint() }}) as {{ measure }},
            {%- endfor %}
            case when activity.work_event_count > 0 then activity.activity_date end as work_date
        from {{ points }} as points
        full outer join {{ activity }} as activity
            on
                points.account_id = activity.account_id
                and points.computation_date = activity.activity_date
        {%- if changes %}
            full outer join {{ changes }} as changes
                on
                    {{ account }} = changes.account_id
                    and {{ day }} = changes.change_date
        {%- endif %}
    ) as series
    ) as windowed
    where is_point
{%- endmacro %}
