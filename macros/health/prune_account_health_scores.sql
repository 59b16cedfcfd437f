{#- Post-hook of fct_account_health_daily on an incremental run: a day that
    left the daily window of stored scores (not a Monday) is deleted, as
    int_account_health_inputs, updated first, no longer marks it stored.
    Nothing on a full refresh (or on Spark, where the model is a table). -#}
{% macro prune_account_health_scores() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} as scores
        where not exists (
            select 1
            from {{ ref('int_account_health_inputs') }} as inputs
            where
                inputs.account_id = scores.account_id
                and inputs.computation_date = scores.score_date
                and inputs.is_stored
        )
    {%- endif -%}
{%- endmacro %}
