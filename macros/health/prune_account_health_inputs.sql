{#- Post-hook of int_account_health_inputs on an incremental run: as the
    as-of date moves on, a day leaves the daily window of stored scores.
    Rows no stored score needs any more (neither the day itself nor the
    comparison days after it is stored) are deleted, and is_stored is set
    again from the new as-of date, so the table equals a full refresh.
    Nothing on a full refresh (or on Spark, where the model is a table). -#}
{% macro prune_account_health_inputs(comparison_offsets) -%}
    {%- if is_incremental() -%}
        {%- set as_of = '(select as_of_date from ' ~ ref('int_as_of_date') ~ ')' -%}
        delete from {{ this }}
        where not (
            {%- for offset in [0] + comparison_offsets %}
                {{ integration_adoption.account_health_is_stored(
                    integration_adoption.add_days(offset, 'computation_date'), 'first_installed_date', as_of) }}
                {%- if not loop.last %} or{% endif %}
            {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}
