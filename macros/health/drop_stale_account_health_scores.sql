{#- Pre-hook of fct_account_health_daily on an incremental run. Billing has
    no load time, so a churn or a return can be recorded for any month: the
    stored scores are then stale from the first day whose row should not
    exist (the account is no longer scored), should exist but does not, or
    whose score_change_7d / _30d is null although d − short / d − long
    window (vars health_short_window_days, health_long_window_days) is now
    scored (or the other way round). Those days are deleted, for every
    account, so the run rescores from the newest day left minus the
    lookback. Deletes nothing when billing changed nothing. Nothing on a
    full refresh (or on Spark, where the model is a table). -#}
{% macro drop_stale_account_health_scores(scored_days) -%}
    {#- each score change (column suffix) and the days before it compares with -#}
    {%- set changes = [('7d', var('health_short_window_days')), ('30d', var('health_long_window_days'))] -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where score_date >= (
            select min(stale.score_date)
            from (
                -- stored, but no longer scored, or a change compared with the wrong days
                select scores.score_date
                from {{ this }} as scores
                inner join {{ scored_days }} as day_of
                    on
                        scores.account_id = day_of.account_id
                        and scores.score_date = day_of.computation_date
                {%- for change, offset in changes %}
                    left join {{ scored_days }} as before_{{ change }}
                        on
                            scores.account_id = before_{{ change }}.account_id
                            and {{ integration_adoption.add_days(-offset, 'scores.score_date') }}
                            = before_{{ change }}.computation_date
                {%- endfor %}
                where
                    day_of.is_stored
                    and (
                        not day_of.is_scored
                        {%- for change, offset in changes %}
                            or (scores.score_change_{{ change }} is not null)
                            != coalesce(before_{{ change }}.is_scored, false)
                        {%- endfor %}
                    )
                union all
                -- scored and stored, but missing (before the days the run rescores anyway)
                select day_of.computation_date as score_date
                from {{ scored_days }} as day_of
                left join {{ this }} as scores
                    on
                        day_of.account_id = scores.account_id
                        and day_of.computation_date = scores.score_date
                where
                    day_of.is_stored
                    and day_of.is_scored
                    and scores.account_id is null
                    and day_of.computation_date < {{ integration_adoption.incremental_first_day('score_date') }}
            ) as stale
        )
    {%- endif -%}
{%- endmacro %}
