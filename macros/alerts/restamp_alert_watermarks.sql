{#- Post-hook of an incremental alert model: every row carries the as-of
    date and the newest day of int_connection_success_rates of the run that
    last wrote the model (rates_through_date: the next run re-derives from it
    minus the window and the lookback), so the rows the run kept are set to
    this run's, as a full build would write them. -#}
{% macro restamp_alert_watermarks() -%}
    {%- if is_incremental() -%}
        {%- set as_of = '(select as_of_date from ' ~ ref('int_as_of_date') ~ ')' -%}
        {%- set rates_through = integration_adoption.alert_rates_through_date() -%}
        update {{ this }}
        set
            as_of_date = {{ as_of }},
            rates_through_date = {{ rates_through }}
        where
            as_of_date <> {{ as_of }}
            or rates_through_date <> {{ rates_through }}
    {%- endif -%}
{%- endmacro %}

{#- The watermark every row of an incremental alert model carries: the newest
    day of int_connection_success_rates, as a scalar subquery (the models'
    rows and the restamp read this one definition). -#}
{% macro alert_rates_through_date() -%}
    {{ return('(select max(rate_date) from ' ~ ref('int_connection_success_rates') ~ ')') }}
{%- endmacro %}
