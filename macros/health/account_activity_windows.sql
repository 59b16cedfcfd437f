{#- Sums of an account's daily activity over windows ending before each of
    its points (metric-definitions §6), from running totals rather than one
    pass per window: the activity days and the probe days (each point
    minus each offset) are merged in date order, the running total is read
    at each probe day, and a window is the difference of two probes. The
    cost grows with activity days and points, not with points × window
    length.
    `points`: a relation of (account_id, computation_date); `activity`: one
    row per account_id and activity_date with the `measures` and
    work_event_count; `spans`: (name, late, early) triples, each giving
    <measure>_<name> = the sum over the days in (d − early, d − late].
    Besides those, one row per point has <measure>_to_date (the sum through
    d), last_work_date (the last day with work through d) and
    first_work_date_<name> for the span named `first_work_span`, one that
    ends on d (its first
    day with work: the (work days before it + 1)-th work day; measures must
    hold work_day_count), all over the `activity` rows given.
    `changes` (optional): a relation of (account_id, change_date) and the
    `change_columns`, merged into the same pass and summed to d only
    (<column>_to_date): for a column of how a level moved, the level
    holding on d. -#}
{% macro account_activity_windows(points, activity, measures, spans, first_work_span,
    changes=none, change_columns=[]) -%}
    {%- set summed = measures + change_columns %}
    {%- set offsets = [0] %}
    {%- for span in spans %}
        {%- for offset in span[1:] if offset not in offsets %}{% do offsets.append(offset) %}{% endfor %}
    {%- endfor %}
    {%- set probes -%}
        {%- for offset in offsets %}
            select
                account_id,
                computation_date,
                {{ offset }} as probe_offset,
                {{ integration_adoption.add_days(-offset, 'computation_date') }} as probe_date
            from {{ points }}
            {%- if not loop.last %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- endset -%}
    select
        windows.*,
        first_work.work_date as first_work_date_{{ first_work_span }}
    from (
    select
        probes.account_id,
        probes.computation_date,
        {%- for measure in measures %}
            {%- for name, late, early in spans %}
                max(case when probes.probe_offset = {{ late }} then running.running_{{ measure }} end)
                - max(case when probes.probe_offset = {{ early }} then running.running_{{ measure }} end)
                    as {{ measure }}_{{ name }},
            {%- endfor %}
            max(case when probes.probe_offset = 0 then running.running_{{ measure }} end) as {{ measure }}_to_date,
        {%- endfor %}
        {%- for column in change_columns %}
            max(case when probes.probe_offset = 0 then running.running_{{ column }} end) as {{ column }}_to_date,
        {%- endfor %}
        max(case when probes.probe_offset = 0 then running.last_work_date end) as last_work_date
    from ({{ probes }}) as probes
    inner join (
        -- running totals over activity days and probe days (a probe day after
        -- the activity of the same day), read at the probe days
        select
            account_id,
            point_date,
            is_probe,
            {%- for measure in summed %}
                sum({{ measure }}) over (
                    partition by account_id
                    order by point_date, is_probe
                    rows between unbounded preceding and current row
                ) as running_{{ measure }},
            {%- endfor %}
            max(work_date) over (
                partition by account_id
                order by point_date, is_probe
                rows between unbounded preceding and current row
            ) as last_work_date
        from (
            select
                account_id,
                activity_date as point_date,
                0 as is_probe,
                {%- for measure in measures %}
                    {{ measure }},
                {%- endfor %}
                {%- for column in change_columns %}
                    0 as {{ column }},
                {%- endfor %}
                case when work_event_count > 0 then activity_date end as work_date
            from {{ activity }}
            {%- if changes %}
            union all
            select
                account_id,
                change_date as point_date,
                0 as is_probe,
                {%- for measure in measures %}
                    0 as {{ measure }},
                {%- endfor %}
                {%- for column in change_columns %}
                    {{ column }},
                {%- endfor %}
                cast(null as date) as work_date
            from {{ changes }}
            {%- endif %}
            union all
            select distinct
                account_id,
                probe_date as point_date,
                1 as is_probe,
                {%- for measure in summed %}
                    0 as {{ measure }},
                {%- endfor %}
                cast(null as date) as work_date
            from ({{ probes }}) as probes
        ) as series
    ) as running
        on
            probes.account_id = running.account_id
            and probes.probe_date = running.point_date
            and running.is_probe = 1
    group by probes.account_id, probes.computation_date
    ) as windows
    left join (
        select
            account_id,
            activity_date as work_date,
            row_number() over (partition by account_id order by activity_date) as work_day_number
        from {{ activity }}
        where work_event_count > 0
    ) as first_work
        on
            windows.account_id = first_work.account_id
            and windows.work_day_count_to_date - windows.work_day_count_{{ first_work_span }} + 1
            = first_work.work_day_number
{%- endmacro %}
