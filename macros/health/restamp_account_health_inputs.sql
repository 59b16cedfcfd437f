{#- Post-hook of int_account_health_inputs on an incremental run, after
    prune_account_health_inputs: is_stored of the rows kept from earlier
    runs is set again from the new as-of date (a day that left the daily
    window is no longer stored, unless a Monday). A day in the new daily
    window is stored, and was under the old as-of date too: only the days
    before it are tested. Nothing on a full refresh. -#}
{% macro restamp_account_health_inputs(comparison_offsets) -%}
    {%- if is_incremental() -%}
        {%- set as_of = integration_adoption.account_health_as_of_literal() -%}
        {%- set is_stored = integration_adoption.account_health_is_stored(
            'computation_date', 'first_installed_date', as_of) -%}
        update {{ this }}
        set is_stored = {{ is_stored }}
        where
            computation_date > {{ integration_adoption.account_health_inputs_settled_through(comparison_offsets) }}
            and computation_date <= {{ integration_adoption.add_days(-var('health_daily_history_days'), as_of) }}
            and is_stored <> {{ is_stored }}
    {%- endif -%}
{%- endmacro %}
