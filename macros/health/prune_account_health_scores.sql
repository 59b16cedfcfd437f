{#- Post-hook of fct_account_health_daily on an incremental run: a day that
    left the daily window of stored scores (not a Monday) is deleted, as
    int_account_health_inputs, updated first, no longer marks it stored.
    Only the days that can have left it are tested: after the start of the
    daily window under the old as-of date A (a day before it was kept as a
    Monday, and still is), which is no earlier than the start under the
    first day F this run replaced (F <= A; 1900-01-01 when none is logged),
    and not after the start of the new one (a day in it is stored).
    Nothing on a full refresh (or on Spark, where the model is a table). -#}
{% macro prune_account_health_scores() -%}
    {%- if is_incremental() -%}
        {%- set history_days = var('health_daily_history_days') -%}
        {%- set as_of = integration_adoption.account_health_as_of_literal() -%}
        {%- set first_day = integration_adoption.replaced_first_day_this_run(this) -%}
        delete from {{ this }} as scores
        where
            scores.score_date > {{ integration_adoption.add_days(-history_days,
                'least(coalesce(' ~ first_day ~ ", cast('1900-01-01' as date)), " ~ as_of ~ ')') }}
            and scores.score_date <= {{ integration_adoption.add_days(-history_days, as_of) }}
            and not exists (
                select 1
                from {{ ref('int_account_health_inputs') }} as inputs
                where
                    inputs.account_id = scores.account_id
                    and inputs.computation_date = scores.score_date
                    and inputs.is_stored
            )
    {%- endif -%}
{%- endmacro %}
