{#- Post-hook of int_account_health_inputs on an incremental run: as the
    as-of date moves on, a day leaves the daily window of stored scores.
    Rows no stored score needs any more (neither the day itself nor the
    comparison days after it is stored) are deleted, and is_stored is set
    again from the new as-of date, so the table equals a full refresh.
    Only the days between account_health_inputs_settled_through and the
    start of the new daily window minus the longest comparison offset are
    tested: a later day d is stored, or d + that offset is (in the window,
    and not after the as-of date, since d is not in the window and the
    window is no shorter than the offset; with a shorter daily history, the
    days up to the window's start are tested). Nothing on a full refresh
    (or on Spark, where the model is a table). -#}
{% macro prune_account_health_inputs(comparison_offsets) -%}
    {%- if is_incremental() -%}
        {%- set as_of = integration_adoption.account_health_as_of_literal() -%}
        {%- set history_days = var('health_daily_history_days') -%}
        {#- with a daily history shorter than the offset, d + offset can be after the as-of date -#}
        {%- set kept_offset = comparison_offsets | max if history_days >= comparison_offsets | max else 0 -%}
        delete from {{ this }}
        where
            computation_date > {{ integration_adoption.account_health_inputs_settled_through(comparison_offsets) }}
            and computation_date <= {{ integration_adoption.add_days(-(history_days + kept_offset), as_of) }}
            and not (
                {%- for offset in [0] + comparison_offsets %}
                    {{ integration_adoption.account_health_is_stored(
                        integration_adoption.add_days(offset, 'computation_date'), 'first_installed_date', as_of) }}
                    {%- if not loop.last %} or{% endif %}
                {%- endfor %}
            )
    {%- endif -%}
{%- endmacro %}

{#- The as-of date for the post-hooks of int_account_health_inputs, read
    when the hook runs and written into its SQL as a literal
    (compiled_scalar): compared with every row the hook tests, a literal is
    folded once, a scalar subquery is planned as a join at each use. -#}
{% macro account_health_as_of_literal() -%}
    {{ return(integration_adoption.compiled_scalar('select as_of_date from ' ~ ref('int_as_of_date'))) }}
{%- endmacro %}

{#- For the post-hooks of int_account_health_inputs: the last day whose
    rows an incremental run cannot prune or restamp. Before the run every
    row was kept under the old as-of date A, the newest day stored (a row
    needs a stored day d + o, o in 0 and the comparison offsets, d + o <= A);
    the run replaced the days from its first day F <= A (replaced-days log).
    A row of d <= min(F, new as-of) - H - max(o), H the daily history, was
    kept through a Monday d + o outside the daily window of A (d + o <= A -
    H), and that Monday is outside the new one too and not after the new
    as-of date: still kept, and is_stored (d, a Monday or not, outside both
    windows) unchanged. Without a logged first day (1900-01-01): no day is settled. -#}
{% macro account_health_inputs_settled_through(comparison_offsets) -%}
    {%- set first_day = integration_adoption.replaced_first_day_this_run(this) -%}
    {%- set as_of = integration_adoption.account_health_as_of_literal() -%}
    {{ integration_adoption.add_days(
        -(var('health_daily_history_days') + comparison_offsets | max),
        'least(coalesce(' ~ first_day ~ ", cast('1900-01-01' as date)), " ~ as_of ~ ')') }}
{%- endmacro %}
